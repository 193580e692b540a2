package org.artcp.orchestrator.testbed;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a test (class or method) that builds a real namespace testbed: tagged {@code testbed} and run
 * only where it can be — as root, with {@code /dev/net/tun}, a working {@code ip netns add}, the tools
 * the testbed calls, and no testbed already up (a test must not tear down someone else's). Elsewhere
 * the test is disabled and the reason is printed on stderr (see {@link TestbedAvailableCondition}).
 */
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Tag("testbed")
@ExtendWith(TestbedAvailableCondition.class)
public @interface RequiresTestbed {
}
