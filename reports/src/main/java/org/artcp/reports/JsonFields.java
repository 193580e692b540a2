package org.artcp.reports;

import com.fasterxml.jackson.databind.JsonNode;

/** Reading the fields of a results directory's JSON, with the error a malformed file deserves. */
final class JsonFields {
    private JsonFields() {
    }

    /** The array {@code field} of {@code n}; {@code where} names the place for the error. */
    static Iterable<JsonNode> array(JsonNode n, String field, String where) throws ResultsFormatException {
        JsonNode a = n.get(field);
        if (a == null || !a.isArray()) {
            throw new ResultsFormatException(where + ": no '" + field + "' array");
        }
        return a;
    }

    /** The text of {@code field}, which must be there. */
    static String required(JsonNode n, String field, String where) throws ResultsFormatException {
        String v = text(n, field);
        if (v == null) {
            throw new ResultsFormatException(where + ": no '" + field + "'");
        }
        return v;
    }

    /** The text of {@code field}, or null when absent or null. */
    static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    /** The number {@code field}, or null when absent or not a number. */
    static Double number(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v != null && v.isNumber() ? v.asDouble() : null;
    }

    /** The whole number {@code field} that fits an int, or null. */
    static Integer integer(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v != null && v.isNumber() && v.canConvertToInt() ? v.asInt() : null;
    }
}
