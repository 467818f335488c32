package io.shopflow.providersim;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads flat JSON fields; the simulator's bodies are small, flat objects. */
final class Json {

    private Json() {
    }

    static Optional<String> string(String json, String field) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(field) + "\"\\s*:\\s*\"([^\"]*)\"").matcher(json);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    static Optional<String> scalar(String json, String field) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(field) + "\"\\s*:\\s*([-0-9.eE]+|true|false)").matcher(json);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }
}
