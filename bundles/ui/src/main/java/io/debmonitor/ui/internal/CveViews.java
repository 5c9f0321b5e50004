package io.debmonitor.ui.internal;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import io.debmonitor.core.model.api.CveCoverageDTO;
import io.debmonitor.core.model.api.CveDashboardDTO;
import io.debmonitor.core.model.api.CveFilter;
import io.debmonitor.core.model.api.CveFindingDTO;
import io.debmonitor.core.model.api.CveIssueDTO;
import io.debmonitor.core.model.api.CveKernelDTO;
import io.debmonitor.core.model.api.CveSubState;
import io.debmonitor.core.model.api.CveVerdict;
import io.debmonitor.core.model.api.EntityCvesPageDTO;
import io.debmonitor.core.model.api.EntityDTO;

/** The JSON shapes and visibility rules of CVE findings on pages (CVE.md §7, §11.1). */
final class CveViews {

    private static final Set<String> INCLUDE = Set.of("negligible", "not-affected", "headers", "fixed", "all");

    private CveViews() {
    }

    /** @return true when {@code id} is a tracker issue name, {@code CVE-…} or {@code TEMP-…} */
    static boolean isIssue(String id) {
        return CveIssueDTO.ID.matcher(id).matches();
    }

    /**
     * @return {@code text} as a tracker issue name, its prefix in upper case (all of a CVE id, which
     *         has only digits besides), e.g. {@code cve-2024-9143} → {@code CVE-2024-9143}; null when it is none
     */
    static String issueId(String text) {
        String upper = text.toUpperCase(Locale.ROOT);
        String id = upper.startsWith("CVE-") ? upper : upper.startsWith("TEMP-") ? "TEMP-" + text.substring("TEMP-".length()) : text;
        return isIssue(id) ? id : null;
    }

    /** @return the {@code include} values; 400 for an unknown one */
    static Set<String> include(String value) {
        Set<String> include = new HashSet<>();
        if (value != null) {
            for (String part : value.split(",")) {
                String token = part.strip();
                if (!INCLUDE.contains(token)) {
                    throw PageException.badRequest("include is a comma list of " + String.join(", ", new TreeSet<>(INCLUDE)) + ", not '" + token + "'.");
                }
                include.add(token);
            }
        }
        return include;
    }

    /** @throws PageException 400 unless {@code state} is null, a verdict or a sub-state token, or {@code ACCEPTED} */
    static void checkState(String state) {
        if (state == null || state.equals(CveFilter.ACCEPTED)) {
            return;
        }
        for (CveVerdict verdict : CveVerdict.values()) {
            if (verdict.name().equals(state)) {
                return;
            }
        }
        for (CveSubState subState : CveSubState.values()) {
            if (subState.name().equals(state)) {
                return;
            }
        }
        throw PageException.badRequest("state must be a verdict (e.g. AFFECTED_FIXED), a sub-state (e.g. WONT_FIX) or ACCEPTED, not '" + state + "'.");
    }

    /** The finding object of §11.1; every key present. */
    static Map<String, Object> item(CveFindingDTO f, EntityDTO entity) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("cve", f.cve());
        item.put("source", f.source());
        item.put("release", f.release());
        item.put("entity", entity.name());
        item.put("kind", entity.kind().word());
        item.put("os", entity.os());
        item.put("url", Links.entity(entity.kind(), entity.name()));
        List<Map<String, Object>> binaries = new ArrayList<>();
        for (CveFindingDTO.Binary b : f.binaries()) {
            Map<String, Object> binary = new LinkedHashMap<>();
            binary.put("name", b.name());
            binary.put("version", b.version());
            binary.put("source_version", b.sourceVersion());
            binary.put("provenance", b.provenance());
            binaries.add(binary);
        }
        item.put("binaries", binaries);
        item.put("source_version", f.sourceVersion());
        item.put("provenance", f.provenance());
        item.put("base_verdict", f.baseVerdict().name());
        item.put("verdict", f.verdict().name());
        item.put("sub_state", f.subState() == null ? null : f.subState().name());
        item.put("counted", f.counted());
        item.put("fix", f.fix());
        Map<String, Object> candidate = null;
        if (f.candidate() != null) {
            candidate = new LinkedHashMap<>();
            candidate.put("name", f.candidate().name());
            candidate.put("version_to", f.candidate().versionTo());
            candidate.put("source_version", f.candidate().sourceVersion());
            candidate.put("type", f.candidate().type());
        }
        item.put("candidate", candidate);
        item.put("fixed_version", f.fixedVersion());
        item.put("unstable_fixed_version", f.unstableFixedVersion());
        item.put("urgency", f.urgency());
        item.put("nvd_derived", f.nvdDerived());
        item.put("scope", f.scope());
        item.put("nodsa", f.nodsa());
        item.put("nodsa_reason", f.nodsaReason());
        item.put("next_point_update", f.nextPointUpdate());
        item.put("advisory", f.advisory());
        Map<String, Object> accepted = null;
        if (f.accepted() != null) {
            accepted = new LinkedHashMap<>();
            accepted.put("reason", f.accepted().reason());
            accepted.put("by", f.accepted().by());
            accepted.put("expires", Times.iso(f.accepted().expires()));
        }
        item.put("accepted", accepted);
        item.put("first_seen", Times.iso(f.firstSeen()));
        List<Map<String, Object>> events = new ArrayList<>();
        for (CveFindingDTO.Event e : f.events()) {
            Map<String, Object> event = new LinkedHashMap<>();
            event.put("at", Times.iso(e.at()));
            event.put("event", e.event());
            event.put("before", e.before());
            event.put("after", e.after());
            events.add(event);
        }
        item.put("events", events);
        Map<String, Object> explanation = new LinkedHashMap<>();
        explanation.put("state", f.explanation().state());
        explanation.put("urgency", f.explanation().urgency());
        explanation.put("installed", f.explanation().installed());
        explanation.put("rule", f.explanation().rule());
        explanation.put("elsewhere", f.explanation().elsewhere());
        explanation.put("upgrade", f.explanation().upgrade());
        explanation.put("advisory", f.explanation().advisory());
        explanation.put("data", f.explanation().data());
        explanation.put("links", f.explanation().links());
        item.put("explanation", explanation);
        item.put("tracker_url", f.explanation().links().get(0));
        return item;
    }

    /**
     * The feed's freshness (CVE.md §10, §11.5): {@code imported}, {@code last_modified} (of the
     * response a fetched snapshot came from; null for a file or an upload), {@code age_seconds}
     * and {@code stale}.
     */
    static Map<String, Object> feed(CveDashboardDTO fleet) {
        Map<String, Object> feed = new LinkedHashMap<>();
        feed.put("imported", fleet.feed() == null ? null : Times.iso(fleet.feed().finished()));
        feed.put("last_modified", fleet.feed() == null ? null : Times.iso(fleet.feed().lastModified()));
        feed.put("age_seconds", fleet.ageSeconds());
        feed.put("stale", fleet.stale());
        return feed;
    }

    /** The fleet's coverage totals (CVE.md §9): entities {@code not_covered}, and {@code sources} not assessed on the others. */
    static Map<String, Object> notAssessed(CveDashboardDTO fleet) {
        Map<String, Object> notAssessed = new LinkedHashMap<>();
        notAssessed.put("not_covered", fleet.notCovered());
        notAssessed.put("sources", fleet.notAssessed());
        return notAssessed;
    }

    /** §7: the headline (distinct counted issues) and the issues per state column. */
    static Map<String, Object> counts(EntityCvesPageDTO.Counts counts) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("affected", counts.affected());
        out.put("fixable", counts.fixable());
        out.put("states", counts.states());
        return out;
    }

    /** §11.4's host {@code kernel} object (here {@code running_kernel}). */
    static Map<String, Object> kernel(CveKernelDTO kernel) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("running_version", kernel.runningVersion());
        out.put("running_release", kernel.runningRelease());
        out.put("verdict_summary", kernel.runningVersion() == null ? "not assessed"
                : kernel.affected() == 0 ? "no counted CVE" : kernel.affected() + (kernel.affected() == 1 ? " counted CVE" : " counted CVEs"));
        out.put("reboot_required", kernel.rebootRequired());
        List<Map<String, Object>> images = new ArrayList<>();
        for (CveKernelDTO.Image image : kernel.images()) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("name", image.name());
            item.put("version", image.version());
            item.put("running", image.running());
            images.add(item);
        }
        out.put("images", images);
        out.put("notes", kernel.notes());
        return out;
    }

    /** §11.4's {@code coverage} object. */
    static Map<String, Object> coverage(CveCoverageDTO coverage) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("release", coverage.release());
        out.put("state", coverage.state());
        out.put("not_assessed", coverage.notAssessed());
        List<Map<String, Object>> sources = new ArrayList<>();
        for (CveCoverageDTO.Source source : coverage.sources()) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("source", source.source());
            item.put("source_version", source.sourceVersion());
            item.put("provenance", source.provenance());
            item.put("reason", source.reason());
            sources.add(item);
        }
        out.put("not_assessed_sources", sources);
        return out;
    }
}
