package io.debmonitor.imagereporter;

import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.List;
import org.junit.Test;

public class GlobTest {

    @Test
    public void singleStarStaysWithinOnePathComponent() {
        Glob g = new Glob("library/*");
        assertTrue(g.matches("library/debian:12"));
        assertFalse(g.matches("library/sub/debian:12"));
        assertFalse(g.matches("other/debian:12"));
    }

    @Test
    public void doubleStarCrossesSlashes() {
        Glob g = new Glob("wikimedia/**");
        assertTrue(g.matches("wikimedia/mediawiki:1.2"));
        assertTrue(g.matches("wikimedia/releng/ci/php:8.2"));
        assertFalse(g.matches("wikimedia:1"));
        assertTrue(new Glob("**:latest").matches("a/b/c:latest"));
        assertFalse(new Glob("**:latest").matches("a/b/c:latest-1"));
    }

    @Test
    public void questionMarkIsOneCharacterAndTheRestIsLiteral() {
        assertTrue(new Glob("debian:1?").matches("debian:12"));
        assertFalse(new Glob("debian:1?").matches("debian:1"));
        assertFalse(new Glob("debian:1.0").matches("debian:100"));
        assertTrue(new Glob("a+b/[x]:(1)").matches("a+b/[x]:(1)"));
    }

    @Test
    public void tagPatternsApplyAfterTheColon() {
        Glob g = new Glob("*/debian:*-slim");
        assertTrue(g.matches("library/debian:12-slim"));
        assertFalse(g.matches("library/debian:12"));
    }

    @Test
    public void filterIncludesEverythingByDefaultAndExcludesWin() {
        Glob.Filter all = new Glob.Filter(List.of(), List.of());
        assertTrue(all.accepts("anything/at/all", "x"));

        Glob.Filter f = new Glob.Filter(List.of("library/**", "tools/*"), List.of("**:*-dev"));
        assertTrue(f.accepts("library/debian", "12"));
        assertTrue(f.accepts("tools/ci", "1"));
        assertFalse(f.accepts("tools/ci/deep", "1"));
        assertFalse(f.accepts("library/debian", "12-dev"));
        assertFalse(f.accepts("other/debian", "12"));
    }
}
