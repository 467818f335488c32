package io.shopflow.web;

import jakarta.enterprise.inject.Instance;
import jakarta.ws.rs.ext.Provider;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Counts the bytes of a request body while it is read and stops at the {@link BodyLimit} with a
 * {@link BodyTooLargeException}, which {@link Problems} answers with a 413 problem. This judges bodies
 * sent without {@code Content-Length} (chunked), which the route of {@link BodyLimit} cannot judge up front.
 */
@Provider
class StreamedBodyLimit implements ReaderInterceptor {

    // Resolved per request: Quarkus REST builds providers at static init, before configuration exists.
    private final Instance<BodyLimit> limit;

    StreamedBodyLimit(Instance<BodyLimit> limit) {
        this.limit = limit;
    }

    @Override
    public Object aroundReadFrom(ReaderInterceptorContext context) throws IOException {
        context.setInputStream(new Bounded(context.getInputStream(), limit.get().max()));
        return context.proceed();
    }

    /**
     * The request body is larger than the limit. An {@link IOException}, because it is thrown from the
     * body stream: Jackson passes those on unwrapped, so the mapper sees this type and not a parse error.
     */
    static final class BodyTooLargeException extends IOException {

        private final long limit;

        BodyTooLargeException(long limit) {
            super("The body is larger than " + limit + " bytes");
            this.limit = limit;
        }

        long limit() {
            return limit;
        }
    }

    private static final class Bounded extends FilterInputStream {

        private final long limit;
        private long count;

        Bounded(InputStream in, long limit) {
            super(in);
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                counted(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                counted(n);
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(n);
            counted(skipped);
            return skipped;
        }

        private void counted(long n) throws BodyTooLargeException {
            count += n;
            if (count > limit) {
                throw new BodyTooLargeException(limit);
            }
        }
    }
}
