package io.debmonitor.rest.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import java.lang.annotation.Annotation;

import org.junit.Test;

/** The checks on {@code io.debmonitor.rest} before the application starts. */
public class RestConfigurationTest {

    @Test
    public void drainSecondsFrom0To120() {
        RestServer.validate(config(0));
        RestServer.validate(config(120));
        assertEquals("io.debmonitor.rest drainSeconds must be between 0 and 120, got -1",
                assertThrows(IllegalArgumentException.class, () -> RestServer.validate(config(-1))).getMessage());
        assertEquals("io.debmonitor.rest drainSeconds must be between 0 and 120, got 121",
                assertThrows(IllegalArgumentException.class, () -> RestServer.validate(config(121))).getMessage());
    }

    private static RestConfiguration config(int drainSeconds) {
        return new RestConfiguration() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return RestConfiguration.class;
            }

            @Override
            public long maxBodyBytes() {
                return 1024;
            }

            @Override
            public String[] expectedSources() {
                return new String[] {"hosts"};
            }

            @Override
            public int drainSeconds() {
                return drainSeconds;
            }
        };
    }
}
