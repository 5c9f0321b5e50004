package io.debmonitor.core.model.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import org.junit.Test;

/** The tracker's side files (CVE.md §1.5, §1.7): the DSA list excerpt of fixtures/cve/README.md, regressions, distributions.json, garbage. */
public class CveListReaderTest {

    static final Path README = Path.of("../../fixtures/cve/README.md");

    /** @return the README's DSA list excerpt, verbatim: the lines of the code block after its "DSA list excerpt" heading */
    static String excerpt() throws IOException {
        List<String> lines = Files.readAllLines(README, StandardCharsets.UTF_8);
        int heading = 0;
        while (!lines.get(heading).startsWith("## DSA list excerpt")) {
            heading++;
        }
        int open = heading;
        while (!lines.get(open).equals("```")) {
            open++;
        }
        int close = open + 1;
        while (!lines.get(close).equals("```")) {
            close++;
        }
        return String.join("\n", lines.subList(open + 1, close)) + "\n";
    }

    /** A regression advisory (no issue list: it inherits DSA-5343-1's) above the excerpt, as the tracker writes newest first. */
    static final String REGRESSION = "[09 Feb 2023] DSA-5343-2 openssl - regression update\n"
            + "\t[bullseye] - openssl 1.1.1n-0+deb11u5\n"
            + "\tNOTE: regression in the fix for CVE-2023-0286\n";

    private final List<CveListReader.Advisory> advisories = new ArrayList<>();

    private CveListReader.Summary read(String text, String prefix) throws IOException {
        return CveListReader.advisories(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), prefix, advisories::add);
    }

    private CveListReader.Advisory advisory(String id) {
        return advisories.stream().filter(a -> a.id().equals(id)).findFirst().orElseThrow(() -> new AssertionError(id + " in " + advisories));
    }

    @Test
    public void theReadmeExcerptIsTabIndented() throws IOException {
        String excerpt = excerpt();
        assertTrue(excerpt, excerpt.startsWith("[07 Feb 2023] DSA-5343-1 openssl - security update\n\t{CVE-2022-2097 "));
        assertTrue(excerpt, excerpt.contains("\n\t[bullseye] - sudo 1.9.5p2-3+deb11u1\n"));
    }

    @Test
    public void theExcerptGivesEachAdvisoryItsIssuesAndFixes() throws IOException {
        CveListReader.Summary summary = read(excerpt(), "DSA");
        assertEquals(new CveListReader.Summary(2, 0), summary);
        CveListReader.Advisory openssl = advisory("DSA-5343-1");
        assertEquals(LocalDate.of(2023, 2, 7), openssl.published());
        assertEquals("openssl", openssl.source());
        assertEquals("security update", openssl.summary());
        assertEquals(List.of("CVE-2022-2097", "CVE-2022-4304", "CVE-2022-4450", "CVE-2023-0215", "CVE-2023-0286"), openssl.issues());
        assertEquals(List.of(new CveListReader.Fix("bullseye", "openssl", "1.1.1n-0+deb11u4")), openssl.fixes());
        CveListReader.Advisory sudo = advisory("DSA-5321-1");
        assertEquals(LocalDate.of(2023, 1, 18), sudo.published());
        assertEquals(List.of("CVE-2023-22809"), sudo.issues());
        assertEquals(List.of(new CveListReader.Fix("bullseye", "sudo", "1.9.5p2-3+deb11u1")), sudo.fixes());
    }

    @Test
    public void aRegressionAdvisoryWithoutIssuesInheritsItsBasesIssues() throws IOException {
        assertEquals(new CveListReader.Summary(3, 0), read(REGRESSION + excerpt(), "DSA"));
        CveListReader.Advisory regression = advisory("DSA-5343-2");
        assertEquals(advisory("DSA-5343-1").issues(), regression.issues());
        assertEquals(List.of(new CveListReader.Fix("bullseye", "openssl", "1.1.1n-0+deb11u5")), regression.fixes());
        assertEquals("regression update", regression.summary());
        assertEquals("the base advisory comes first, then what waited for it", List.of("DSA-5343-1", "DSA-5343-2", "DSA-5321-1"),
                advisories.stream().map(CveListReader.Advisory::id).toList());
    }

    @Test
    public void oldFormsAndOddLinesAreReadOrSkipped() throws IOException {
        String list = "[01 Aug 2002] DSA-141 mpack - buffer overflow\n"
                + "        {CVE-2002-1425}\n"
                + "        [woody] - mpack 1.5-7woody2\n"
                + "[05 Aug 2002] DSA-140 libpng - buffer overflow\n"
                + "\t{CVE-2002-0660 CVE-2002-0728}\n"
                + "\t[woody] - libpng 1.0.12-3.woody.2\n"
                + "\t[woody] - libpng3 1.2.1-1.1.woody.2\r\n"
                + "\n"
                + "[16 Dec 2013] DSA-2819-1 iceape - several\n"
                + "[07 Jun 2015] DSA-3281-1 Debian Security Team PGP/GPG key change notice\n"
                + "[18 Apr 2018] DSA-4205-1 jessie end-of-life\n"
                + "\tNOTE: end of security support for jessie\n"
                + "[xx Foo 2018] DSA-4206-1 foo - security update\n"
                + "\t[stretch] - foo <not-affected> (Vulnerable code not present)\n"
                + "\tsomething the tracker never writes\n"
                + "[19 Apr 2018] DSA-4205-1 jessie - the same id again\n"
                + "\t{CVE-2018-0001}\n";
        CveListReader.Summary summary = read(list, "DSA");
        assertEquals("the unknown line, the repeated advisory and its line", new CveListReader.Summary(6, 3), summary);
        assertEquals(List.of(new CveListReader.Fix("woody", "libpng", "1.0.12-3.woody.2"), new CveListReader.Fix("woody", "libpng3",
                "1.2.1-1.1.woody.2")), advisory("DSA-140").fixes());
        assertEquals(List.of(), advisory("DSA-2819-1").issues());
        assertEquals("Debian", advisory("DSA-3281-1").source());
        CveListReader.Advisory odd = advisory("DSA-4206-1");
        assertNull(odd.published());
        assertEquals(List.of(new CveListReader.Fix("stretch", "foo", null)), odd.fixes());
        assertEquals(List.of(), advisory("DSA-4205-1").issues());
    }

    @Test
    public void aRegressionWhoseBaseIsMissingKeepsNoIssues() throws IOException {
        assertEquals(new CveListReader.Summary(1, 0), read(REGRESSION, "DSA"));
        assertEquals(List.of(), advisory("DSA-5343-2").issues());
    }

    @Test
    public void whatIsNoAdvisoryListIsRefusedWithOneLine() {
        for (String[] bad : List.of(
                new String[] {"{\"openssl\": {}}", "The DSA list must start with an advisory line like '[07 Feb 2023] DSA-5343-1 openssl -"
                        + " security update'; line 1 is '{\"openssl\": {}}'."},
                new String[] {"<html>\n<body>Not found</body>\n", "The DSA list must start with an advisory line like '[07 Feb 2023]"
                        + " DSA-5343-1 openssl - security update'; line 1 is '<html>'."},
                new String[] {"", "The DSA list holds no advisory (lines like '[07 Feb 2023] DSA-5343-1 openssl - security update')."},
                new String[] {"\n\n  \n", "The DSA list holds no advisory (lines like '[07 Feb 2023] DSA-5343-1 openssl - security update')."},
                new String[] {"[31 Jan 2024] DLA-3725-1 libde265 - security update\n\t{CVE-2023-49465}\n",
                        "Line 1 of the DSA list names DLA-3725-1, not a DSA advisory: is it the other list?"},
                new String[] {"x".repeat(CveListReader.MAX_LINE + 1), "Line 1 of the DSA list is longer than 65536 characters: not an advisory"
                        + " list."})) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> read(bad[0], "DSA"));
            assertEquals(bad[1], e.getMessage());
            assertFalse(e.getMessage().contains("\n"));
        }
        IllegalArgumentException binary = assertThrows(IllegalArgumentException.class, () -> CveListReader.advisories(
                new ByteArrayInputStream(new byte[] {'[', 0x1f, (byte) 0x8b, (byte) 0xff, (byte) 0xfe, '\n'}), "DLA", advisories::add));
        assertEquals("The DLA list is not UTF-8 text (line 1).", binary.getMessage());
    }

    @Test
    public void distributionsMapCodenamesToMajorVersions() throws IOException {
        String json = "{\"bookworm\": {\"major-version\": \"12\", \"support\": \"security\", \"contact\": \"team@security.debian.org\"},"
                + " \"sid\": {\"major-version\": \"\", \"support\": \"unstable\"}, \"trixie\": {\"major-version\": 13},"
                + " \"Bad Name\": {\"major-version\": \"1\"}, \"nomajor\": {\"support\": \"x\"}, \"weird\": {\"major-version\": \"twelve\"},"
                + " \"list\": [1, 2]}";
        List<CveListReader.Distribution> read = new ArrayList<>();
        CveListReader.Summary summary = CveListReader.distributions(in(json), read::add);
        assertEquals(new CveListReader.Summary(3, 4), summary);
        assertEquals(List.of(new CveListReader.Distribution("bookworm", "12", "security"), new CveListReader.Distribution("sid", "", "unstable"),
                new CveListReader.Distribution("trixie", "13", null)), read);
        for (String[] bad : List.of(new String[] {"[1, 2]", "distributions.json must be a JSON object of codenames."},
                new String[] {"{\"bookworm\": {\"major-version\": \"12\"", "distributions.json is not valid JSON (truncated?): Unexpected end-of-input:"
                        + " expected close marker for Object (start marker at [Source: (ByteArrayInputStream); line: 1, column: 13])"},
                new String[] {"{}", "distributions.json names no codename with a major-version."},
                new String[] {"{} {}", "distributions.json must be one JSON object of codenames."},
                new String[] {"[07 Feb 2023] DSA-5343-1 openssl - security update", "distributions.json must be a JSON object of codenames."})) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CveListReader.distributions(in(bad[0]), d -> { }));
            assertTrue(e.getMessage(), e.getMessage().startsWith(bad[1].substring(0, Math.min(bad[1].length(), 60))));
        }
    }

    private static InputStream in(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }
}
