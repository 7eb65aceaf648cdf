package dev.meridian.deploy.e2e;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Marks a scenario that runs only in the full set ({@code -Dmeridian.e2e=full}), not in the fast
 * subset every {@code mvn verify} runs.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@EnabledIfSystemProperty(
    named = "meridian.e2e",
    matches = "full",
    disabledReason = "in the full set only: mvn -B verify -Dmeridian.e2e=full")
@interface FullSetOnly {}
