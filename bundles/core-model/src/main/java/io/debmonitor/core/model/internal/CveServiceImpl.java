package io.debmonitor.core.model.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.debmonitor.core.model.api.CveCoverageDTO;
import io.debmonitor.core.model.api.CveFindingDTO;
import io.debmonitor.core.model.api.CveKernelDTO;
import io.debmonitor.core.model.api.CveService;
import io.debmonitor.core.model.api.CveSubState;
import io.debmonitor.core.model.api.CveVerdict;
import io.debmonitor.core.model.api.DebianVersion;
import io.debmonitor.core.model.api.EntityKind;
import io.debmonitor.core.model.api.CveFilter;
import io.debmonitor.core.model.api.EntityCvesDTO;
import io.debmonitor.core.model.api.EntityCvesPageDTO;
import io.debmonitor.core.model.api.PageDTO;
import io.debmonitor.core.model.api.PageRequest;
import io.debmonitor.core.model.internal.CveVerdicts.Effective;
import io.debmonitor.core.model.internal.CveVerdicts.Provenance;
import io.debmonitor.core.model.internal.CveVerdicts.Row;

/**
 * One entity's findings, computed when asked from its rows and the active snapshot's rows of its
 * sources (CVE.md §3-§9): normalisation, groups, the verdict function, the kernel and image rules,
 * fix availability, counting and the explanation record.
 */
@Component(service = CveService.class)
public class CveServiceImpl implements CveService {

    private static final Pattern RUNNING = Pattern.compile("Debian (\\S+)");
    private static final Pattern KERNEL_IMAGE = Pattern.compile("^linux-image-[0-9].*");
    private static final Pattern BINNMU = Pattern.compile("^(.+)\\+b[0-9]+$");
    private static final Pattern OTHER_RELEASE = Pattern.compile("(?:~bpo|\\+deb)([0-9]+)");
    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** §11.4's order: counted first, fix available first, urgency desc, issue, source; without boxing (a host has thousands). */
    private static final Comparator<CveFindingDTO> DISPLAY_ORDER = (a, b) -> {
        if (a.counted() != b.counted()) {
            return a.counted() ? -1 : 1;
        }
        boolean fixA = "available".equals(a.fix());
        if (fixA != "available".equals(b.fix())) {
            return fixA ? -1 : 1;
        }
        int urgency = Integer.compare(urgencyRank(b.urgency()), urgencyRank(a.urgency()));
        if (urgency != 0) {
            return urgency;
        }
        int issue = a.cve().compareTo(b.cve());
        return issue != 0 ? issue : a.source().compareTo(b.source());
    };
    private static final String TRACKER = "https://security-tracker.debian.org/tracker/";

    private final Database database;

    @Activate
    public CveServiceImpl(@Reference Database database) {
        this.database = database;
    }

    /** A row of the entity, with its upgrade candidate when it has one. */
    private record EntityRow(Row row, String upgradeVersion, String upgradeSourceVersion, String upgradeType) {
    }

    /** @param lastModified the Last-Modified of the response it was fetched from, or null */
    record Snapshot(long id, String sha256, String finished, List<String> releases, String lastModified) {
    }

    /** What one entity's findings are computed from, read in one short transaction. */
    record Input(FeedCache cache, String os, String kernelVersion, String kernelRelease, Snapshot snapshot, List<EntityRow> rows,
            Map<String, SourceRows> feed, Map<String, String> scopes, Map<String, List<CveExceptionServiceImpl.Rule>> exceptions,
            boolean vmImage) {
    }

    @Override
    public Optional<EntityCvesDTO> entity(EntityKind kind, String name) {
        KindDescriptor t = KindDescriptor.of(kind);
        return recorded(t, name).map(recorded -> {
            EntityCvesDTO lean = findings(t, recorded.input(), false, true);
            return new EntityCvesDTO(lean.coverage(), explain(database, t, recorded, lean.findings().stream().sorted(DISPLAY_ORDER).toList()),
                    lean.kernel());
        });
    }

    @Override
    public Optional<EntityCvesPageDTO> page(EntityKind kind, String name, CveFilter filter, PageRequest page) {
        KindDescriptor t = KindDescriptor.of(kind);
        // FIXED and RUNNING_FIXED are most of an entity's judged pairs and not stored: only judged when asked for.
        boolean withFixed = filter.visible(CveVerdict.FIXED, null);
        if (!withFixed) {
            Stored stored = database.query(c -> stored(c, t, name));
            if (stored == null) {
                return Optional.empty();
            }
            if (stored.findings() != null) {
                Optional<EntityCvesPageDTO> fromStored = pageFromStored(t, stored, filter, page);
                if (fromStored.isPresent()) {
                    return fromStored;
                }
            }
        }
        return recorded(t, name).map(recorded -> {
            EntityCvesDTO lean = findings(t, recorded.input(), false, withFixed);
            List<CveFindingDTO> matching = matching(lean.findings(), filter);
            int from = (int) Math.min(matching.size(), page.offset());
            List<CveFindingDTO> shown = explain(database, t, recorded, matching.subList(from, Math.min(matching.size(), from + page.size())));
            return new EntityCvesPageDTO(lean.coverage(), counts(lean.findings()), lean.kernel(),
                    new PageDTO<>(page.page(), page.size(), matching.size(), shown));
        });
    }

    /** The findings that pass the tab's filter, in its order (§11.4). */
    private static List<CveFindingDTO> matching(List<CveFindingDTO> findings, CveFilter filter) {
        String q = filter.q() == null ? null : filter.q().toLowerCase(java.util.Locale.ROOT);
        return findings.stream()
                .filter(f -> q == null || f.cve().toLowerCase(java.util.Locale.ROOT).contains(q) || f.source().toLowerCase(java.util.Locale.ROOT).contains(q))
                .filter(f -> filter.visible(f.verdict(), f.subState()) && filter.inState(f.verdict(), f.subState(), f.accepted() != null))
                .filter(f -> filter.urgency() == null || filter.urgency().equals(f.urgency()))
                .sorted(DISPLAY_ORDER).toList();
    }

    /**
     * An entity's stored findings (the refresher's rows, §10) as lean findings, with its stored
     * coverage; {@code findings} is null when they may lag its rows (marked for the refresher, or
     * stored before coverage was).
     */
    private record Stored(long id, CveCoverageDTO coverage, List<CveFindingDTO> findings) {
    }

    private static final CveFindingDTO.Accepted STORED_ACCEPTANCE = new CveFindingDTO.Accepted(0, null, null, null, null);

    /** @return null when no such entity is stored */
    private static Stored stored(Connection c, KindDescriptor t, String name) throws SQLException {
        long id;
        String coverage;
        try (PreparedStatement ps = c.prepareStatement("select id, cve_pending, cve_coverage_detail from " + t.entity() + " where name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                id = rs.getLong(1);
                coverage = rs.getInt(2) > 0 ? null : rs.getString(3);
            }
        }
        if (coverage == null) {
            return new Stored(id, null, null);
        }
        List<CveFindingDTO> findings = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("select issue, source_name, verdict, sub_state, fix, urgency, counted, accepted from "
                + t.cves() + " where " + t.owner() + " = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    CveVerdict verdict = CveVerdict.valueOf(rs.getString(3));
                    String subState = rs.getString(4);
                    findings.add(new CveFindingDTO(rs.getString(1), rs.getString(2), null, List.of(), null, null, verdict, verdict,
                            subState == null ? null : CveSubState.valueOf(subState), rs.getBoolean(7), rs.getString(5), null, null, null,
                            rs.getString(6), false, null, null, null, false, null, rs.getBoolean(8) ? STORED_ACCEPTANCE : null, null, null,
                            List.of()));
                }
            }
        }
        return new Stored(id, storedCoverage(coverage), findings);
    }

    /**
     * The tab from the stored findings: filtered, ordered and counted on them, then only the
     * page's sources (and a host's kernel) are read and judged, with explanations.
     *
     * @return empty when the page's findings changed since they were stored: the caller judges all
     */
    private Optional<EntityCvesPageDTO> pageFromStored(KindDescriptor t, Stored stored, CveFilter filter, PageRequest page) {
        List<CveFindingDTO> matching = matching(stored.findings(), filter);
        int from = (int) Math.min(matching.size(), page.offset());
        List<CveFindingDTO> onPage = matching.subList(from, Math.min(matching.size(), from + page.size()));
        java.util.Set<String> sources = new java.util.HashSet<>();
        onPage.forEach(f -> sources.add(f.source()));
        if (t.runsKernel()) {
            sources.add("linux");
        }
        Recorded recorded = database.query(c -> {
            Input in = read(c, t, stored.id(), database.cveFeed(c), sources);
            return in == null ? null : new Recorded(in, firstSeen(c, t, stored.id()), events(c, t, stored.id()));
        });
        if (recorded == null) {
            return Optional.empty();
        }
        EntityCvesDTO judged = findings(t, recorded.input(), false, false);
        Map<String, CveFindingDTO> fresh = new HashMap<>();
        judged.findings().forEach(f -> fresh.put(f.cve() + "\n" + f.source(), f));
        List<CveFindingDTO> lean = new ArrayList<>(onPage.size());
        for (CveFindingDTO f : onPage) {
            CveFindingDTO now = fresh.get(f.cve() + "\n" + f.source());
            if (now == null || now.verdict() != f.verdict() || (now.accepted() != null) != (f.accepted() != null)) {
                return Optional.empty();
            }
            lean.add(now);
        }
        return Optional.of(new EntityCvesPageDTO(stored.coverage(), counts(stored.findings()), judged.kernel(),
                new PageDTO<>(page.page(), page.size(), matching.size(), explain(database, t, recorded, lean))));
    }

    /** The most a stored coverage may take: a {@code text} column holds 65,535 bytes on MariaDB. */
    private static final int MAX_STORED_COVERAGE = 60_000;

    /**
     * The coverage as the refresher stores it with the entity (§9): JSON, gzip-compressed and in
     * base64, because its list of sources not assessed names most of a host's sources when its
     * client reports no source versions (100 KB of JSON, repetitive).
     *
     * @return null when even that is too long: the tab then judges every source
     */
    static String storedCoverage(CveCoverageDTO coverage) {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream gzip = new java.util.zip.GZIPOutputStream(bytes)) {
            MAPPER.writeValue(gzip, coverage);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("CVE coverage cannot be written as JSON", e);
        }
        String stored = java.util.Base64.getEncoder().encodeToString(bytes.toByteArray());
        return stored.length() > MAX_STORED_COVERAGE ? null : stored;
    }

    private static CveCoverageDTO storedCoverage(String stored) {
        try (java.io.InputStream json = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(
                java.util.Base64.getDecoder().decode(stored)))) {
            return MAPPER.readValue(json, CveCoverageDTO.class);
        } catch (java.io.IOException | IllegalArgumentException e) {
            throw new IllegalStateException("stored CVE coverage is not readable: " + e.getMessage(), e);
        }
    }

    /** Reads the entity's rows and recorded history in one short read; the judging happens after it. */
    private Optional<Recorded> recorded(KindDescriptor t, String name) {
        return database.query(c -> {
            Long id = Rows.id(c, "select id from " + t.entity() + " where name = ?", name);
            if (id == null) {
                return Optional.empty();
            }
            Input in = read(c, t, id, database.cveFeed(c), null);
            return Optional.of(new Recorded(in, firstSeen(c, t, id), events(c, t, id)));
        });
    }

    /**
     * The given findings (judged without explanation) with their explanation and history, in the
     * same order: their groups are judged again with explanations, the other groups not at all,
     * and labelled with the advisories that name them (one query for the findings shown).
     */
    private static List<CveFindingDTO> explain(Database database, KindDescriptor t, Recorded recorded, List<CveFindingDTO> lean) {
        java.util.Set<String> sources = new java.util.HashSet<>();
        lean.forEach(f -> sources.add(f.source()));
        Input in = recorded.input();
        // The kernel group also needs the kernel images, whatever their source, for the running and newest versions.
        List<EntityRow> rows = in.rows().stream().filter(r -> sources.contains(groupSource(in.cache().rules(), r.row().source()))
                || (sources.contains("linux") && KERNEL_IMAGE.matcher(r.row().binary()).matches())).toList();
        Map<String, CveFindingDTO> explained = new HashMap<>();
        for (CveFindingDTO f : findings(t, new Input(in.cache(), in.os(), in.kernelVersion(), in.kernelRelease(), in.snapshot(), rows, in.feed(),
                in.scopes(), in.exceptions(), in.vmImage()), true, true).findings()) {
            explained.put(f.cve() + "\n" + f.source(), f);
        }
        List<CveFindingDTO> shown = lean.stream().map(f -> {
            String key = f.cve() + "\n" + f.source();
            return explained.get(key).withHistory(recorded.firstSeen().get(key), recorded.events().getOrDefault(key, List.of()));
        }).toList();
        return database.query(c -> CveListImports.label(c, in.snapshot() == null ? shown : elsewhere(c, in.snapshot().id(), shown)));
    }

    /**
     * §8's "Elsewhere" line of explained findings: the releases other than the entity's own where
     * Debian fixed the issue in the source, oldest release first, then unstable; one query for the
     * findings shown (the feed cache holds only the entity's release and sid).
     */
    static List<CveFindingDTO> elsewhere(Connection c, long snapshot, List<CveFindingDTO> findings) throws SQLException {
        java.util.Set<String> issues = new TreeSet<>();
        for (CveFindingDTO f : findings) {
            if (f.explanation() != null && f.release() != null) {
                issues.add(f.cve());
            }
        }
        if (issues.isEmpty()) {
            return findings;
        }
        Map<String, Map<String, String>> fixes = new HashMap<>();
        Sql.selectIn(c, "select issue, source_name, release_name, fixed_version from cve_entry where snapshot_id = ? and status = 'resolved'"
                + " and release_name <> 'sid' and issue in (IN_LIST)", List.of(snapshot), issues, rs -> {
                    if (CveListImports.realFix(rs.getString(4))) {
                        fixes.computeIfAbsent(rs.getString(1) + "\n" + rs.getString(2), k -> new TreeMap<>(RELEASE_ORDER))
                                .put(rs.getString(3), rs.getString(4));
                    }
                });
        List<CveFindingDTO> out = new ArrayList<>(findings.size());
        for (CveFindingDTO f : findings) {
            List<String> elsewhere = new ArrayList<>();
            fixes.getOrDefault(f.cve() + "\n" + f.source(), Map.of()).forEach((release, fixed) -> {
                if (!release.equals(f.release())) {
                    elsewhere.add(release + " " + fixed);
                }
            });
            CveFindingDTO.Explanation e = f.explanation();
            if (elsewhere.isEmpty() || e == null) {
                out.add(f);
                continue;
            }
            if (e.elsewhere() != null) {
                elsewhere.add(e.elsewhere().substring(FIXED_IN.length()));
            }
            out.add(new CveFindingDTO(f.cve(), f.source(), f.release(), f.binaries(), f.sourceVersion(), f.provenance(), f.baseVerdict(),
                    f.verdict(), f.subState(), f.counted(), f.fix(), f.candidate(), f.fixedVersion(), f.unstableFixedVersion(), f.urgency(),
                    f.nvdDerived(), f.scope(), f.nodsa(), f.nodsaReason(), f.nextPointUpdate(), f.advisory(), f.accepted(),
                    new CveFindingDTO.Explanation(e.state(), e.urgency(), e.installed(), e.rule(), FIXED_IN + String.join(", ", elsewhere),
                            e.upgrade(), e.advisory(), e.data(), e.links()), f.firstSeen(), f.events()));
        }
        return out;
    }

    private static final String FIXED_IN = "fixed in ";

    /** Codenames in release order (CVE.md §1.5's static table), unknown ones after them by name. */
    private static final Comparator<String> RELEASE_ORDER = Comparator.<String>comparingInt(release -> CveRules.CODENAMES.entrySet().stream()
            .filter(e -> e.getValue().equals(release)).mapToInt(e -> Integer.parseInt(e.getKey())).findFirst().orElse(Integer.MAX_VALUE))
            .thenComparing(Comparator.naturalOrder());

    /** The group a row's source belongs to: signed kernel wrappers belong to {@code linux} (§3.5). */
    private static String groupSource(CveRules rules, String source) {
        return rules.signedKernel(source) ? "linux" : source;
    }

    /** §7: distinct issues in the headline, with a fix available, and per state. */
    private static EntityCvesPageDTO.Counts counts(List<CveFindingDTO> findings) {
        java.util.Set<String> affected = new java.util.HashSet<>();
        java.util.Set<String> fixable = new java.util.HashSet<>();
        Map<String, java.util.Set<String>> byState = new TreeMap<>();
        for (CveFindingDTO f : findings) {
            if (f.counted()) {
                affected.add(f.cve());
            }
            if ("available".equals(f.fix()) && f.accepted() == null) {
                fixable.add(f.cve());
            }
            if (f.verdict() == CveVerdict.FIXED || f.verdict() == CveVerdict.RUNNING_FIXED) {
                continue;
            }
            // An accepted finding keeps its verdict, but is counted in a column of its own (§7).
            String state = f.accepted() != null ? CveFilter.ACCEPTED : f.subState() != null ? f.subState().name() : f.verdict().name();
            byState.computeIfAbsent(state, k -> new java.util.HashSet<>()).add(f.cve());
        }
        Map<String, Long> states = new LinkedHashMap<>();
        byState.forEach((state, issues) -> states.put(state, (long) issues.size()));
        return new EntityCvesPageDTO.Counts(affected.size(), fixable.size(), states);
    }

    /** An entity's input with what the refresher recorded of its findings, by issue and source. */
    private record Recorded(Input input, Map<String, Instant> firstSeen, Map<String, List<CveFindingDTO.Event>> events) {
    }

    private static Map<String, Instant> firstSeen(Connection c, KindDescriptor t, long id) throws SQLException {
        Map<String, Instant> out = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("select issue, source_name, first_seen from " + t.cves() + " where " + t.owner() + " = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1) + "\n" + rs.getString(2), Rows.utc(rs, 3));
                }
            }
        }
        return out;
    }

    /**
     * A stored finding whose source the entity no longer has: its stored state, until the refresher
     * removes it.
     */
    static CveFindingDTO gone(String issue, String source, CveVerdict verdict, CveSubState subState) {
        String state = "no longer installed: the CVE refresher removes this finding on its next run";
        return new CveFindingDTO(issue, source, null, List.of(), null, "assumed", verdict, verdict, subState, false, null, null, null, null,
                null, false, null, null, null, false, null, null, new CveFindingDTO.Explanation(state, "none given", "none", state, null, null, null,
                        "stored finding",
                        List.of(TRACKER + issue, TRACKER + "source-package/" + source)), null, List.of());
    }

    static Map<String, List<CveFindingDTO.Event>> events(Connection c, KindDescriptor t, long id) throws SQLException {
        Map<String, List<CveFindingDTO.Event>> out = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("select issue, source_name, created, event, verdict_before, verdict_after from "
                + t.cveEvents() + " where " + t.owner() + " = ? order by id")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.computeIfAbsent(rs.getString(1) + "\n" + rs.getString(2), k -> new ArrayList<>())
                            .add(new CveFindingDTO.Event(Rows.utc(rs, 3), rs.getString(4), rs.getString(5), rs.getString(6)));
                }
            }
        }
        return out;
    }

    /**
     * §4's verdicts of one group version against its source's rows in a release, in the order of
     * those rows, with each row's sid counterpart (or null), and the §9 vendor check.
     *
     * @param unfixed   the positions of the verdicts other than FIXED: most verdicts of a host are FIXED
     * @param uncertain some verdict is UNCERTAIN_VERSION
     */
    record Judgement(List<CveVerdicts.Result> results, List<CveFeedReader.Entry> sid, boolean nonDebian, int[] unfixed, boolean uncertain) {

        Judgement(List<CveVerdicts.Result> results, List<CveFeedReader.Entry> sid, boolean nonDebian) {
            this(results, sid, nonDebian, java.util.stream.IntStream.range(0, results.size())
                    .filter(i -> results.get(i).verdict() != CveVerdict.FIXED).toArray(),
                    results.stream().anyMatch(r -> r.verdict() == CveVerdict.UNCERTAIN_VERSION));
        }
    }

    /**
     * A source's feed rows for one release: the release's own, and those followed by sid's; with §4's
     * verdicts of each group version against them, judged once: hosts share versions.
     */
    static final class SourceRows {
        private final List<CveFeedReader.Entry> own;
        private final List<CveFeedReader.Entry> all;
        private final Map<String, Judgement> judgements = new java.util.concurrent.ConcurrentHashMap<>();

        SourceRows(List<CveFeedReader.Entry> own, List<CveFeedReader.Entry> all) {
            this.own = own;
            this.all = all;
        }

        List<CveFeedReader.Entry> own() {
            return own;
        }

        List<CveFeedReader.Entry> all() {
            return all;
        }

        Judgement judge(String version, String major) {
            return judgements.computeIfAbsent(version, key -> {
                List<String> listed = new ArrayList<>();
                for (CveFeedReader.Entry e : own) {
                    listed.addAll(e.repositories().values());
                    listed.add(e.fixedVersion());
                }
                boolean epochLost = CveVerdicts.epochLost(version, listed);
                Map<String, CveFeedReader.Entry> sidByIssue = new HashMap<>();
                for (CveFeedReader.Entry e : all) {
                    if (e.release().equals("sid")) {
                        sidByIssue.put(e.issue(), e);
                    }
                }
                List<CveVerdicts.Result> results = new ArrayList<>(own.size());
                List<CveFeedReader.Entry> sids = new ArrayList<>(own.size());
                for (CveFeedReader.Entry entry : own) {
                    CveFeedReader.Entry sid = sidByIssue.get(entry.issue());
                    sids.add(sid);
                    results.add(CveVerdicts.verdict(entry, sid, version, epochLost));
                }
                return new Judgement(results, sids, nonDebian(version, major, listed));
            });
        }
    }

    /**
     * One snapshot's feed rows per (release, source), read from the database the first time an
     * entity needs them, then shared by every reader of that snapshot (Database#cveFeed): at most
     * the feed's rows of the releases in use, and a tab view reads only its entity's rows.
     */
    static final class FeedCache {
        private final Snapshot snapshot;
        /** Release → source → rows; a source without rows is kept too, as known to have none. */
        private final Map<String, Map<String, SourceRows>> rows = new java.util.concurrent.ConcurrentHashMap<>();
        private final Map<String, String> scopes = new java.util.concurrent.ConcurrentHashMap<>();

        private final CveRules rules;

        FeedCache(Snapshot snapshot, CveRules rules) {
            this.snapshot = snapshot;
            this.rules = rules;
        }

        Snapshot snapshot() {
            return snapshot;
        }

        /** The release mapping, signed kernel sources and VM images this cache's readers judge with. */
        CveRules rules() {
            return rules;
        }

        /** @return the rows of these sources in the release and in sid, by source, for those that have any; scopes go to {@link #scopes()} */
        Map<String, SourceRows> load(Connection c, String release, java.util.Set<String> sources) throws SQLException {
            Map<String, SourceRows> ofRelease = rows.computeIfAbsent(release, k -> new java.util.concurrent.ConcurrentHashMap<>());
            Map<String, SourceRows> out = new HashMap<>();
            java.util.Set<String> missing = new TreeSet<>();
            for (String source : sources) {
                SourceRows known = ofRelease.get(source);
                if (known == null) {
                    missing.add(source);
                } else if (!known.all().isEmpty()) {
                    out.put(source, known);
                }
            }
            if (!missing.isEmpty()) {
                Map<String, List<CveFeedReader.Entry>> read = feedRows(c, snapshot.id(), release, missing);
                scopes.putAll(CveServiceImpl.scopes(c, snapshot.id(), missing));
                for (String source : missing) {
                    List<CveFeedReader.Entry> own = new ArrayList<>();
                    List<CveFeedReader.Entry> sid = new ArrayList<>();
                    for (CveFeedReader.Entry e : read.getOrDefault(source, List.of())) {
                        (e.release().equals(release) ? own : sid).add(e);
                    }
                    List<CveFeedReader.Entry> all = new ArrayList<>(own);
                    all.addAll(sid);
                    SourceRows built = ofRelease.computeIfAbsent(source, k -> new SourceRows(List.copyOf(own), List.copyOf(all)));
                    if (!built.all().isEmpty()) {
                        out.put(source, built);
                    }
                }
            }
            return out;
        }

        Map<String, String> scopes() {
            return scopes;
        }
    }

    /**
     * Reads what one entity's findings are computed from.
     *
     * @param onlySources the sources to judge (a signed kernel source stands for {@code linux}), or null for all
     * @return null when the entity is gone
     */
    static Input read(Connection c, KindDescriptor t, long id, FeedCache cache, java.util.Set<String> onlySources) throws SQLException {
        return readMany(c, t, List.of(id), cache, onlySources).get(id);
    }

    /** {@link #read} for several entities of one kind in a few queries; entities that are gone are missing from the map. */
    static Map<Long, Input> readMany(Connection c, KindDescriptor t, java.util.Collection<Long> ids, FeedCache cache,
            java.util.Set<String> onlySources) throws SQLException {
        Map<Long, String[]> headers = new HashMap<>();
        Sql.selectIn(c, "select e.id, " + KindDescriptor.osName() + ", "
                + (t.runsKernel() ? "(select k.name from kernel k where k.id = e.kernel_id), e.kernel_release" : "null, null")
                + ", e.name from " + t.entity() + " e where e.id in (IN_LIST)", List.of(), ids,
                rs -> headers.put(rs.getLong(1), new String[] {rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5)}));
        Snapshot snapshot = cache.snapshot();
        CveRules rules = cache.rules();
        List<Long> judged = new ArrayList<>();
        for (Map.Entry<Long, String[]> header : headers.entrySet()) {
            String release = rules.release(header.getValue()[0]);
            if (snapshot != null && release != null && snapshot.releases().contains(release)) {
                judged.add(header.getKey());
            }
        }
        Map<Long, List<EntityRow>> rows = rows(c, t, judged, onlySources, rules);
        Map<Long, Map<String, List<CveExceptionServiceImpl.Rule>>> exceptions = CveExceptionServiceImpl.active(c, t, judged);
        Map<Long, Input> out = new HashMap<>();
        for (Map.Entry<Long, String[]> header : headers.entrySet()) {
            String[] h = header.getValue();
            List<EntityRow> entityRows = rows.get(header.getKey());
            if (entityRows == null) {
                out.put(header.getKey(), new Input(cache, h[0], h[1], h[2], snapshot, List.of(), Map.of(), Map.of(), Map.of(), false));
                continue;
            }
            java.util.Set<String> sources = new TreeSet<>();
            for (EntityRow row : entityRows) {
                sources.add(groupSource(rules, row.row().source()));
            }
            if (t.runsKernel() && (onlySources == null || onlySources.contains("linux"))) {
                sources.add("linux");
            }
            out.put(header.getKey(), new Input(cache, h[0], h[1], h[2], snapshot, entityRows, cache.load(c, rules.release(h[0]), sources),
                    cache.scopes(), exceptions.get(header.getKey()), t.kind() == EntityKind.IMAGE && rules.vmImage(h[3])));
        }
        return out;
    }

    static EntityCvesDTO findings(KindDescriptor t, Input in) {
        return findings(t, in, true, true);
    }

    /**
     * @param explain false for the refresher, which stores verdicts and counts only: no
     *                explanation record, binaries list or order (each finding's
     *                {@code explanation} is then null)
     * @param withFixed false to leave out {@link CveVerdict#FIXED} and {@link CveVerdict#RUNNING_FIXED}
     */
    static EntityCvesDTO findings(KindDescriptor t, Input in, boolean explain, boolean withFixed) {
        Snapshot snapshot = in.snapshot();
        String os = in.os();
        String kernelVersion = in.kernelVersion();
        String kernelRelease = in.kernelRelease();
        CveRules rules = in.cache().rules();
        String release = rules.release(os);
        String state;
        if (!rules.inScope(os)) {
            state = "out-of-scope";
        } else if (release == null) {
            state = "release-unknown";
        } else if (snapshot == null) {
            state = "no-feed";
        } else if (!snapshot.releases().contains(release)) {
            state = "release-not-covered";
        } else {
            state = "covered";
        }
        if (!state.equals("covered")) {
            return new EntityCvesDTO(new CveCoverageDTO(release, state, Map.of(), List.of()), List.of(), null);
        }
        boolean host = t.kind() == EntityKind.HOST;
        List<EntityRow> rows = in.rows();
        Map<String, List<EntityRow>> groups = new TreeMap<>();
        for (EntityRow row : rows) {
            boolean signed = rules.signedKernel(row.row().source());
            EntityRow grouped = signed ? new EntityRow(new Row(row.row().binary(), row.row().version(), "linux", row.row().version(), true),
                    row.upgradeVersion(), row.upgradeVersion(), row.upgradeType()) : row;
            groups.computeIfAbsent(grouped.row().source(), k -> new ArrayList<>()).add(grouped);
        }
        String running = null;
        if (host) {
            Matcher m = RUNNING.matcher(kernelVersion == null ? "" : kernelVersion);
            if (m.find()) {
                running = m.group(1);
            } else if (kernelRelease != null) {
                running = rows.stream().filter(r -> r.row().binary().equals("linux-image-" + kernelRelease)).map(r -> r.row().version())
                        .findFirst().orElse(null);
            }
            if (running != null) {
                groups.computeIfAbsent("linux", k -> new ArrayList<>());
            }
        }
        Map<String, SourceRows> feed = in.feed();
        Map<String, String> scopes = in.scopes();

        List<CveFindingDTO> findings = new ArrayList<>();
        Map<String, Long> notAssessed = new LinkedHashMap<>();
        for (String reason : List.of("no-entry", "assumed-version", "non-debian-version", "uncertain-version", "running-kernel-unknown")) {
            notAssessed.put(reason, 0L);
        }
        List<CveCoverageDTO.Source> notAssessedSources = new ArrayList<>();
        String newestKernelImage = rows.stream().map(EntityRow::row).filter(r -> KERNEL_IMAGE.matcher(r.binary()).matches())
                .map(Row::version).max(DebianVersion::compare).orElse(null);
        if (host && running == null && groups.containsKey("linux")) {
            notAssessed.merge("running-kernel-unknown", 1L, Long::sum);
            notAssessedSources.add(new CveCoverageDTO.Source("linux", null, null, "running kernel is not a Debian kernel"));
        }
        String data = "Debian Security Tracker JSON, snapshot " + snapshot.id() + (snapshot.lastModified() == null ? ""
                : ", Last-Modified " + snapshot.lastModified()) + ", imported " + snapshot.finished() + ", sha256 " + snapshot.sha256();
        for (Map.Entry<String, List<EntityRow>> group : groups.entrySet()) {
            String source = group.getKey();
            boolean kernelGroup = host && source.equals("linux");
            if (kernelGroup && running == null) {
                continue;
            }
            SourceRows sourceRows = feed.get(source);
            List<CveFeedReader.Entry> own = sourceRows == null ? List.of() : sourceRows.own();
            List<Effective> effective = CveVerdicts.effective(group.getValue().stream().map(EntityRow::row).toList());
            String version = kernelGroup ? running : effective.isEmpty() ? null : CveVerdicts.groupVersion(effective);
            Provenance provenance = kernelGroup || effective.isEmpty() ? Provenance.REPORTED : CveVerdicts.groupProvenance(effective);
            if (own.isEmpty()) {
                notAssessed.merge("no-entry", 1L, Long::sum);
                notAssessedSources.add(new CveCoverageDTO.Source(source, version, provenance.token(), "no entry in the feed for " + release));
                continue;
            }
            // The kernel group is judged on the running kernel, not on its rows' versions.
            boolean assumedOther = !kernelGroup
                    && effective.stream().anyMatch(e -> e.provenance() == Provenance.ASSUMED && !e.row().binary().equals(source));
            if (assumedOther) {
                notAssessed.merge("assumed-version", 1L, Long::sum);
                notAssessedSources.add(new CveCoverageDTO.Source(source, version, provenance.token(), "source version not reported"));
            }
            Judgement judged = sourceRows.judge(version, rules.major(release));
            if (judged.nonDebian()) {
                notAssessed.merge("non-debian-version", 1L, Long::sum);
                notAssessedSources.add(new CveCoverageDTO.Source(source, version, provenance.token(), "version does not look like Debian's"));
            }
            Described described = explain ? describe(effective, kernelGroup, running, source, version, provenance) : null;
            boolean uncertain = judged.uncertain();
            int[] unfixed = withFixed ? null : judged.unfixed();
            for (int k = 0, n = unfixed == null ? own.size() : unfixed.length; k < n; k++) {
                int i = unfixed == null ? k : unfixed[k];
                CveFeedReader.Entry entry = own.get(i);
                CveFeedReader.Entry sid = judged.sid().get(i);
                CveVerdicts.Result base = judged.results().get(i);
                // Exceptions accept findings per entity (§10): read once with the entity, applied to each finding.
                findings.add(CveExceptionServiceImpl.overlay(finding(entry, base, group.getValue(), described, version, provenance, release, kernelGroup,
                        newestKernelImage, t.kind() == EntityKind.IMAGE && source.equals("linux") && !in.vmImage(), scopes.get(source + "\n" + entry.issue()),
                        sid, data), in.exceptions()));
            }
            if (uncertain) {
                notAssessed.merge("uncertain-version", 1L, Long::sum);
                notAssessedSources.add(new CveCoverageDTO.Source(source, version, provenance.token(), "version cannot be compared"));
            }
        }
        if (explain) {
            findings.sort(DISPLAY_ORDER);
        }
        return new EntityCvesDTO(new CveCoverageDTO(release, state, notAssessed, notAssessedSources), findings,
                host ? kernel(running, kernelRelease, rows, findings) : null);
    }

    /** §6, §11.4: the running kernel, the installed images and what the operator should know of them. */
    private static CveKernelDTO kernel(String running, String release, List<EntityRow> rows, List<CveFindingDTO> findings) {
        List<CveKernelDTO.Image> images = new ArrayList<>();
        for (EntityRow row : rows) {
            if (KERNEL_IMAGE.matcher(row.row().binary()).matches()) {
                images.add(new CveKernelDTO.Image(row.row().binary(), row.row().version(), row.row().binary().equals("linux-image-" + release)));
            }
        }
        images.sort(Comparator.comparing(CveKernelDTO.Image::version, DebianVersion::compare).reversed());
        List<CveFindingDTO> kernelFindings = findings.stream().filter(f -> f.source().equals("linux") && f.counted()).toList();
        // Accepted or not, a reboot is what fixes these: the dashboard and /cves/ count them the same way.
        boolean reboot = findings.stream().anyMatch(f -> f.source().equals("linux") && f.verdict() == CveVerdict.REBOOT_REQUIRED);
        List<String> notes = new ArrayList<>();
        if (running == null) {
            notes.add("The running kernel is not a Debian kernel: the linux source is not assessed.");
        }
        if (reboot) {
            notes.add("A kernel image with fixes is installed: a reboot into it fixes what the running kernel is affected by.");
        }
        for (CveKernelDTO.Image image : images) {
            if (!image.running() && running != null && DebianVersion.compare(image.version(), running) < 0) {
                notes.add("Old kernel image installed, not running: " + image.name() + " " + image.version() + ".");
            }
        }
        return new CveKernelDTO(running, release, kernelFindings.stream().map(CveFindingDTO::cve).distinct().count(), reboot, images, notes);
    }

    /** A group's binaries and §8 "Installed" line, the same for each of its issues. */
    private record Described(List<CveFindingDTO.Binary> binaries, String installed) {
    }

    private static Described describe(List<Effective> effective, boolean kernelGroup, String running, String source, String version,
            Provenance provenance) {
        List<CveFindingDTO.Binary> binaries = new ArrayList<>();
        for (Effective e : effective) {
            binaries.add(new CveFindingDTO.Binary(e.row().binary(), e.row().version(), e.version(), e.provenance().token()));
        }
        String installed = (kernelGroup ? "running kernel " + running + "; " : "") + binaries.stream().map(b -> b.name() + " " + b.version()
                + (b.sourceVersion().equals(b.version()) ? "" : " (source " + b.sourceVersion() + ")") + " [" + b.provenance() + "]")
                .collect(Collectors.joining(", ")) + " → source " + source + " " + version + " (" + provenance.token() + ")";
        return new Described(List.copyOf(binaries), installed);
    }

    /** @param described the group's binaries and installed line, or null for no explanation (the refresher) */
    private static CveFindingDTO finding(CveFeedReader.Entry entry, CveVerdicts.Result base, List<EntityRow> rows, Described described,
            String version, Provenance provenance, String release, boolean kernelGroup, String newestKernelImage, boolean imageKernel,
            String scope, CveFeedReader.Entry sid, String data) {
        CveVerdict verdict = base.verdict();
        if (kernelGroup) {
            if (verdict == CveVerdict.AFFECTED_FIXED) {
                verdict = newestKernelImage != null && DebianVersion.compare(base.fixedVersion(), newestKernelImage) <= 0
                        ? CveVerdict.REBOOT_REQUIRED : CveVerdict.RUNNING_AFFECTED;
            } else if (verdict == CveVerdict.FIXED) {
                verdict = CveVerdict.RUNNING_FIXED;
            }
        } else if (imageKernel && verdict != CveVerdict.FIXED && verdict != CveVerdict.NOT_AFFECTED) {
            verdict = CveVerdict.KERNEL_HEADERS_ONLY;
        }
        CveFindingDTO.Candidate candidate = null;
        String fix = null;
        if (verdict == CveVerdict.AFFECTED_FIXED || verdict == CveVerdict.RUNNING_AFFECTED) {
            candidate = bestCandidate(rows, base.fixedVersion());
            fix = candidate != null ? "available" : "not_offered";
        } else if (verdict == CveVerdict.AFFECTED_OPEN && base.unstableFixedVersion() != null) {
            candidate = bestCandidate(rows, base.unstableFixedVersion());
            fix = candidate != null ? "other_suite" : null;
        }
        String urgency = entry.urgency() == null ? null : entry.urgency().replace("*", "");
        boolean nvd = entry.urgency() != null && entry.urgency().endsWith("*");
        boolean counted = verdict == CveVerdict.AFFECTED_FIXED || verdict == CveVerdict.RUNNING_AFFECTED || verdict == CveVerdict.REBOOT_REQUIRED
                || (verdict == CveVerdict.AFFECTED_OPEN && base.subState() != CveSubState.NEGLIGIBLE);
        if (described == null) {
            return new CveFindingDTO(entry.issue(), entry.source(), release, List.of(), version, provenance.token(), base.verdict(), verdict,
                    verdict == CveVerdict.AFFECTED_OPEN ? base.subState() : null, counted, fix, candidate, base.fixedVersion(),
                    base.unstableFixedVersion(), urgency, nvd, scope, entry.nodsa(), entry.nodsaReason(), entry.nextPointUpdate(), null, null,
                    null, null, List.of());
        }
        CveFindingDTO.Explanation explanation = new CveFindingDTO.Explanation(
                stateLine(verdict, base, entry),
                urgency == null ? "none given" : urgency + (nvd ? " (from NVD, not assessed by Debian)" : " (Debian)"),
                described.installed(),
                ruleLine(entry, base, version, release, candidate),
                sid != null && "resolved".equals(sid.status()) && sid.fixedVersion() != null && !"0".equals(sid.fixedVersion())
                        ? FIXED_IN + "unstable " + sid.fixedVersion() : null,
                candidate == null ? (fix == null ? null : "none offered for " + entry.source() + " binaries")
                        : candidate.name() + " " + candidate.versionTo() + (candidate.type() == null ? "" : " (" + candidate.type() + ")"),
                null, data, List.of(TRACKER + entry.issue(), TRACKER + "source-package/" + entry.source()));
        return new CveFindingDTO(entry.issue(), entry.source(), release, described.binaries(), version, provenance.token(), base.verdict(), verdict,
                verdict == CveVerdict.AFFECTED_OPEN ? base.subState() : null, counted, fix, candidate, base.fixedVersion(),
                base.unstableFixedVersion(), urgency, nvd, scope, entry.nodsa(), entry.nodsaReason(), entry.nextPointUpdate(), null, null, explanation, null,
                List.of());
    }

    /** §5: the upgrade of a binary of the group whose source version reaches {@code threshold}, the highest first. */
    private static CveFindingDTO.Candidate bestCandidate(List<EntityRow> rows, String threshold) {
        CveFindingDTO.Candidate best = null;
        for (EntityRow row : rows) {
            if (row.upgradeVersion() == null) {
                continue;
            }
            String source = row.upgradeSourceVersion() != null ? row.upgradeSourceVersion() : stripBinnmu(row.upgradeVersion());
            if (DebianVersion.compare(source, threshold) >= 0 && (best == null || DebianVersion.compare(source, best.sourceVersion()) > 0)) {
                best = new CveFindingDTO.Candidate(row.row().binary(), row.upgradeVersion(), source, row.upgradeType());
            }
        }
        return best;
    }

    private static String stripBinnmu(String version) {
        Matcher m = BINNMU.matcher(version);
        return m.matches() ? m.group(1) : version;
    }

    private static String stateLine(CveVerdict verdict, CveVerdicts.Result base, CveFeedReader.Entry entry) {
        String quote = entry.nodsa() == null || entry.nodsa().isEmpty() ? "" : ": \"" + entry.nodsa() + "\"";
        return switch (verdict) {
            case AFFECTED_OPEN -> "AFFECTED — " + switch (base.subState()) {
                case FIX_QUEUED_POINT_RELEASE -> "fix queued for the next point release" + quote;
                case WONT_FIX -> "Debian will not fix it" + quote + " (ignored)";
                case FIX_DEFERRED -> "fix deferred by Debian" + quote + " (postponed)";
                case NO_DSA_MINOR -> "minor, no security advisory; may come via a point release" + quote;
                case UNSUPPORTED -> "the package is no longer security-supported in this release";
                case NEGLIGIBLE -> "negligible: Debian rates it unimportant";
                case NO_FIX_YET -> "no fix yet";
            };
            case AFFECTED_FIXED -> "AFFECTED — Debian has a fix for this release";
            case RUNNING_AFFECTED -> "AFFECTED — the running kernel is below the fix";
            case REBOOT_REQUIRED -> "AFFECTED until a reboot — a fixed kernel image is installed, an older one runs";
            case RUNNING_FIXED -> "not affected — the running kernel has the fix";
            case FIXED -> "not affected — the installed version has the fix";
            case NOT_AFFECTED -> "not affected — Debian says this release was never vulnerable";
            case NEEDS_TRIAGE -> "needs triage — Debian has not determined whether this release is affected";
            case LIKELY_FIXED_NEWER -> "review — the release is open, but the installed version is at or above the unstable fix";
            case UNCERTAIN_VERSION -> "not assessed — the installed version cannot be compared with Debian's";
            case KERNEL_HEADERS_ONLY -> "not counted — containers run the host's kernel";
            case NONE -> "no entry";
        };
    }

    private static String ruleLine(CveFeedReader.Entry entry, CveVerdicts.Result base, String version, String release,
            CveFindingDTO.Candidate candidate) {
        return switch (base.verdict()) {
            case AFFECTED_FIXED, FIXED -> version + (base.verdict() == CveVerdict.AFFECTED_FIXED ? " < " : " ≥ ") + base.fixedVersion()
                    + " (dpkg) → " + (base.verdict() == CveVerdict.AFFECTED_FIXED ? "affected" : "fixed")
                    + (candidate == null ? "" : "; candidate " + candidate.name() + " " + candidate.versionTo() + " ≥ fix → fix available");
            case NOT_AFFECTED -> "tracker status for " + release + " is \"resolved\" with fixed version \"0\"";
            case NEEDS_TRIAGE -> "tracker status for " + release + " is \"undetermined\"";
            case LIKELY_FIXED_NEWER -> "tracker status for " + release + " is \"open\"; " + version + " ≥ unstable fix " + base.unstableFixedVersion();
            case UNCERTAIN_VERSION -> version + " has no epoch where Debian's versions have one, or is not a Debian version";
            default -> "tracker status for " + release + " is \"" + entry.status() + "\" → every installed version is affected";
        };
    }

    /** §9: vendor suffixes, or a backport or security build of another Debian release. */
    private static boolean nonDebian(String version, String major, List<String> listed) {
        if (version == null) {
            return false;
        }
        if (version.contains("+rpt")) {
            return true;
        }
        Matcher other = OTHER_RELEASE.matcher(version);
        while (other.find()) {
            if (!other.group(1).equals(major)) {
                return true;
            }
        }
        // An epoch above every epoch Debian lists for the source in the release.
        long highest = -1;
        for (String debian : listed) {
            if (debian != null && !debian.equals("0")) {
                highest = Math.max(highest, epoch(debian));
            }
        }
        return highest >= 0 && epoch(version) > highest;
    }

    /** The epoch before the first ':' (up to nine digits), else 0; called for every version Debian lists, so without a regex. */
    private static long epoch(String version) {
        int colon = version.indexOf(':');
        if (colon < 1 || colon > 9) {
            return 0;
        }
        for (int i = 0; i < colon; i++) {
            if (version.charAt(i) < '0' || version.charAt(i) > '9') {
                return 0;
            }
        }
        return Long.parseLong(version, 0, colon, 10);
    }

    static int urgencyRank(String urgency) {
        if (urgency == null) {
            return 1;
        }
        return switch (urgency) {
            case "high" -> 5;
            case "medium" -> 4;
            case "low" -> 3;
            case "unimportant" -> 0;
            case "end-of-life" -> 1;
            default -> 2;
        };
    }

    static Snapshot activeSnapshot(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select id, sha256, finished, releases, last_modified from cve_snapshot where result = 'active'");
                ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                return null;
            }
            String releases = rs.getString(4);
            java.time.Instant lastModified = Rows.utc(rs, 5);
            return new Snapshot(rs.getLong(1), rs.getString(2), String.valueOf(Rows.utc(rs, 3)),
                    releases == null || releases.isEmpty() ? List.of() : List.of(releases.split(",")),
                    lastModified == null ? null : lastModified.toString());
        }
    }

    /** The rows of these entities (of these sources only, unless null), by entity, each list by binary name; every entity has a list. */
    private static Map<Long, List<EntityRow>> rows(Connection c, KindDescriptor t, List<Long> ids, java.util.Set<String> onlySources,
            CveRules rules) throws SQLException {
        Map<Long, List<EntityRow>> out = new HashMap<>();
        ids.forEach(id -> out.put(id, new ArrayList<>()));
        if (ids.isEmpty()) {
            return out;
        }
        List<String> names = new ArrayList<>();
        if (onlySources != null) {
            names.addAll(new TreeSet<>(onlySources));
            if (names.contains("linux")) {
                names.addAll(rules.kernelWrapperSources(c));
            }
        }
        String sql = "select r." + t.owner() + ", p.name, iv.version, sp.name, spv.version, iv.source_reported, uv.version, uspv.version,"
                + " uv.source_reported, r.upgrade_type from " + t.rows() + " r join package p on p.id = r.package_id"
                + " join package_version iv on iv.id = r.installed_version_id"
                + " join source_package_version spv on spv.id = iv.source_package_version_id"
                + " join source_package sp on sp.id = spv.source_package_id"
                + " left join package_version uv on uv.id = r.upgrade_version_id"
                + " left join source_package_version uspv on uspv.id = uv.source_package_version_id"
                + " where " + (names.isEmpty() ? "" : "sp.name in (" + String.join(", ", java.util.Collections.nCopies(names.size(), "?")) + ") and ")
                + "r." + t.owner() + " in (IN_LIST)";
        if (onlySources != null && names.isEmpty()) {
            return out;
        }
        Sql.selectIn(c, sql, names, ids, rs -> out.get(rs.getLong(1)).add(new EntityRow(new Row(rs.getString(2), rs.getString(3),
                rs.getString(4), rs.getString(5), rs.getBoolean(6)), rs.getString(7), rs.getBoolean(9) ? rs.getString(8) : null, rs.getString(10))));
        out.values().forEach(list -> list.sort(Comparator.comparing(r -> r.row().binary())));
        return out;
    }

    /** The active snapshot's rows of these sources in the release and in sid, by source. */
    private static Map<String, List<CveFeedReader.Entry>> feedRows(Connection c, long snapshot, String release, java.util.Set<String> sources)
            throws SQLException {
        Map<String, List<CveFeedReader.Entry>> out = new HashMap<>();
        if (sources.isEmpty()) {
            return out;
        }
        Sql.selectIn(c, "select release_name, source_name, issue, status, fixed_version, urgency, nodsa, nodsa_reason, next_point_update,"
                + " repositories from cve_entry where snapshot_id = ? and release_name in (?, 'sid') and source_name in (IN_LIST)",
                List.of(snapshot, release), new TreeSet<>(sources), rs -> out.computeIfAbsent(rs.getString(2), k -> new ArrayList<>())
                        .add(new CveFeedReader.Entry(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                                rs.getString(6), rs.getString(7), rs.getString(8), rs.getBoolean(9), repositories(rs.getString(10)))));
        return out;
    }

    private static Map<String, String> scopes(Connection c, long snapshot, java.util.Set<String> sources) throws SQLException {
        Map<String, String> out = new HashMap<>();
        if (!sources.isEmpty()) {
            Sql.selectIn(c, "select source_name, issue, scope from cve_issue where snapshot_id = ? and scope is not null"
                    + " and source_name in (IN_LIST)", List.of(snapshot), new TreeSet<>(sources),
                    rs -> out.put(rs.getString(1) + "\n" + rs.getString(2), rs.getString(3)));
        }
        return out;
    }

    static Map<String, String> repositories(String json) throws SQLException {
        if (json == null) {
            return Map.of();
        }
        try {
            return MAPPER.readValue(json, new TypeReference<LinkedHashMap<String, String>>() { });
        } catch (java.io.IOException e) {
            throw new SQLException("Unreadable repositories of a feed row: " + json, e);
        }
    }
}
