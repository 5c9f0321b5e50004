package io.debmonitor.imagereporter;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.Test;

public class ChallengeTest {

    @Test
    public void bearerChallengeOfDockerDistribution() {
        List<Challenge> c = Challenge.parse("Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\","
                + "scope=\"repository:samalba/my-app:pull,push\"");
        assertEquals(1, c.size());
        assertEquals("bearer", c.get(0).scheme());
        assertEquals(Map.of("realm", "https://auth.docker.io/token", "service", "registry.docker.io",
                "scope", "repository:samalba/my-app:pull,push"), c.get(0).params());
    }

    @Test
    public void spacesCaseUnquotedValuesAndEscapes() {
        Challenge c = Challenge.parse("BEARER  Realm = \"https://a/t\" , Service=reg ,error=\"say \\\"hi\\\"\"").get(0);
        assertEquals("bearer", c.scheme());
        assertEquals("https://a/t", c.param("realm"));
        assertEquals("reg", c.param("service"));
        assertEquals("say \"hi\"", c.param("error"));
    }

    @Test
    public void severalChallengesInOneHeader() {
        List<Challenge> c = Challenge.parse("Basic realm=\"Registry Realm\", Bearer realm=\"https://a/token\",service=x");
        assertEquals(2, c.size());
        assertEquals("basic", c.get(0).scheme());
        assertEquals("Registry Realm", c.get(0).param("realm"));
        assertEquals("bearer", c.get(1).scheme());
        assertEquals("https://a/token", c.get(1).param("realm"));
        assertEquals("x", c.get(1).param("service"));
    }

    @Test
    public void schemeWithoutParametersAndEmptyHeader() {
        List<Challenge> c = Challenge.parse("Basic");
        assertEquals(1, c.size());
        assertTrue(c.get(0).params().isEmpty());
        assertTrue(Challenge.parse("  ").isEmpty());
    }
}
