package io.shopflow.order.adapter.rest;

import io.shopflow.order.config.OrderSettings;
import jakarta.enterprise.inject.Instance;
import jakarta.ws.rs.ext.Provider;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Counts the bytes of a request body while it is read and stops at
 * {@code shopflow.orders.max-body-bytes} with a {@link BodyTooLargeException} (a 400 problem).
 * This catches bodies sent without {@code Content-Length} (chunked), which
 * {@link DeclaredBodyLimit} cannot judge up front; it trips long before Quarkus's own hard cap,
 * which would answer a bare 413.
 */
@Provider
class StreamedBodyLimit implements ReaderInterceptor {

    // Resolved per request: Quarkus REST builds providers at static init, before configuration exists.
    private final Instance<OrderSettings> settings;

    StreamedBodyLimit(Instance<OrderSettings> settings) {
        this.settings = settings;
    }

    @Override
    public Object aroundReadFrom(ReaderInterceptorContext context) throws IOException {
        context.setInputStream(new Bounded(context.getInputStream(), settings.get().maxBodyBytes()));
        return context.proceed();
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
