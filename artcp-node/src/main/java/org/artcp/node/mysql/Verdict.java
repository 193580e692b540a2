package org.artcp.node.mysql;

/**
 * The class of one command or SQL text and why.
 *
 * @param requestClass        read-only or causal
 * @param reason              short human text, e.g. "SELECT ... FOR UPDATE locks rows"
 * @param nondeterministic    a causal statement calls a function whose result differs between replicas
 * @param nondeterministicWhat the function (or variable) found, or null
 */
public record Verdict(RequestClass requestClass, String reason, boolean nondeterministic, String nondeterministicWhat) {

    static Verdict readOnly(String reason) {
        return new Verdict(RequestClass.READ_ONLY, reason, false, null);
    }

    static Verdict causal(String reason) {
        return new Verdict(RequestClass.CAUSAL, reason, false, null);
    }

    public boolean isReadOnly() {
        return requestClass == RequestClass.READ_ONLY;
    }
}
