package org.artcp.netpipe;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs a test only where Debian's {@code NPtcp} is on the PATH ({@code ./artcp setup} installs netpipe-tcp);
 * elsewhere the test is disabled and the reason printed to stderr, so a skipped interop test is never silent.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(NptcpCondition.class)
@interface EnabledIfNptcp {
}
