package io.debmonitor.itests;

import org.junit.ClassRule;
import org.junit.runner.RunWith;
import org.junit.runners.Suite;

/**
 * The web UI end to end (SPEC §3.3–§3.4, §5) against one booted distribution and one seeded
 * {@link Fleet}, shared by its classes to keep CI time down: pages and JSON, login and sessions
 * (both databases), and a real browser (H2 only).
 */
@RunWith(Suite.class)
@Suite.SuiteClasses({UiPagesCheck.class, UiLoginCheck.class, UiHistoryCheck.class, UiBrowserCheck.class})
public class WebUiIT {

    @ClassRule
    public static final UiDistribution UI = UiDistribution.shared();
}
