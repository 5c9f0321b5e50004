package io.debmonitor.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.AfterClass;
import org.junit.Assume;
import org.junit.Before;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.deque.html.axecore.results.CheckedNode;
import com.deque.html.axecore.results.Results;
import com.deque.html.axecore.results.Rule;
import com.deque.html.axecore.selenium.AxeBuilder;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * What a person sees in a real browser (headless Chromium): the login, the dashboard's counts, the
 * hosts table sorted, paged and filtered, a host with its security rows, a package's versions in
 * dpkg order, the other pages, the search, the markup host shown literally, and no serious or
 * critical axe-core accessibility violation on the main pages. Screenshots of the main pages go to
 * target/screenshots/. Part of {@link WebUiIT}.
 */
public class UiBrowserCheck {

    @ClassRule
    public static final UiDistribution UI = UiDistribution.shared();

    private static final Logger LOGGER = LoggerFactory.getLogger(UiBrowserCheck.class);
    private static final Fleet FLEET = Fleet.standard();
    private static final String HOST = "app1002.eqiad.example.org";
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");

    private static ChromeDriver driver;
    private static WebDriverWait wait;
    private static Path profile;
    private final List<String> accessibility = new ArrayList<>();

    @BeforeClass
    public static void browser() throws IOException {
        // The pages are the same on every database; UiPagesCheck covers them on MariaDB. A browser there would only add CI time.
        Assume.assumeTrue("browser tests run on H2 only", UiDistribution.db().equals("h2"));
        profile = Files.createTempDirectory("chromium-profile");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(System.getProperty("itest.chromium", "/usr/bin/chromium"));
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--user-data-dir=" + profile,
                "--ignore-certificate-errors", "--window-size=1400,1000");
        options.setAcceptInsecureCerts(true);
        options.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL"));
        // The system's driver, given explicitly: Selenium Manager never runs and nothing is downloaded.
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(System.getProperty("itest.chromedriver", "/usr/bin/chromedriver"))).usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
        driver.manage().window().setSize(new Dimension(1400, 1000));
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
        wait = new WebDriverWait(driver, Duration.ofSeconds(20));
        Files.createDirectories(SCREENSHOTS);
    }

    @AfterClass
    public static void quit() throws IOException {
        if (driver != null) {
            driver.quit();
            driver = null;
        }
        if (profile != null) {
            try (var files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            }
        }
    }

    @Before
    public void loggedOut() {
        if (driver.getCurrentUrl().startsWith("https:")) {
            driver.manage().deleteAllCookies();
        }
    }

    @Test
    public void anAnonymousVisitorLogsInSeesTheDashboardAndLogsOut() throws Exception {
        open("/");
        assertEquals("/login", path());
        assertTrue(driver.getCurrentUrl(), driver.getCurrentUrl().contains("next=%2F"));
        assertEquals("Log in - DebMonitor", driver.getTitle());
        screenshot("login");
        checkAccessibility("login");

        submitLogin(UiDistribution.VIEWER, "not-the-password");
        assertEquals("/login", path());
        assertTrue(text("main"), text("main").contains("Invalid username or password"));
        assertEquals("the user name is kept", UiDistribution.VIEWER, driver.findElement(By.name("username")).getAttribute("value"));

        submitLogin(UiDistribution.VIEWER, UiDistribution.VIEWER_PASSWORD);
        wait.until(ExpectedConditions.titleIs("DebMonitor - DebMonitor"));
        assertEquals("/", path());
        JsonNode expected = UiDistribution.JSON.readTree(FLEET.dashboard().toString());
        assertCard("hosts", expected.at("/hosts/total").asText(), Map.of("With pending upgrades", expected.at("/hosts/with_upgrades").asText(),
                "With security upgrades", expected.at("/hosts/with_security").asText()));
        assertCard("kernels", expected.at("/kernels/total").asText(), Map.of());
        assertCard("packages", expected.at("/packages/total").asText(), Map.of("With upgrades", expected.at("/packages/with_upgrades").asText(),
                "With security upgrades", expected.at("/packages/with_security").asText()));
        assertCard("package-versions", expected.at("/package_versions/total").asText(), Map.of(
                "Upgrade targets", expected.at("/package_versions/with_upgrades").asText(),
                "Security upgrade targets", expected.at("/package_versions/with_security").asText()));
        assertCard("source-packages", expected.at("/source_packages/total").asText(), Map.of(
                "Source package versions", expected.at("/source_packages/versions").asText()));
        assertCard("totals", null, Map.of("Upgradable host packages", expected.at("/upgrades/hosts").asText(),
                "Security upgrades on hosts", expected.at("/upgrades/hosts_security").asText()));
        WebElement latest = driver.findElement(By.cssSelector("#card-host-updates ~ dl time"));
        assertTrue(latest.getAttribute("datetime"), latest.getAttribute("datetime").matches("\\d{4}-.*Z"));
        assertTrue("the tooltip is the absolute time: " + latest.getAttribute("title"), latest.getAttribute("title").endsWith(" UTC"));
        screenshot("dashboard");
        checkAccessibility("dashboard");

        driver.findElement(By.cssSelector("form[action='/logout'] button")).click();
        wait.until(ExpectedConditions.titleIs("Log in - DebMonitor"));
        open("/hosts/");
        assertEquals("logged out", "/login", path());
        assertNoViolations();
    }

    @Test
    public void hostsAreSortedPagedFilteredAndOpened() throws Exception {
        login();
        navigate("Hosts", "Hosts - DebMonitor");
        assertEquals(FLEET.hostsInDefaultOrder(), column("Hostname"));
        assertTrue(text(".pager-total"), text(".pager-total").contains("of " + FLEET.hosts.size()));

        driver.findElement(By.cssSelector("thead a.sort[href*='sort=name']")).click();
        wait.until(ExpectedConditions.urlContains("sort=name"));
        List<String> byName = FLEET.hosts.stream().map(Fleet.Host::name).sorted().collect(Collectors.toList());
        assertEquals(byName, column("Hostname"));
        driver.findElement(By.cssSelector("thead a.sort[href*='sort=name']")).click();
        wait.until(ExpectedConditions.urlContains("dir=desc"));
        assertEquals(byName.get(byName.size() - 1), column("Hostname").get(0));

        open("/hosts/?size=10");
        List<String> order = FLEET.hostsInDefaultOrder();
        assertEquals(order.subList(0, 10), column("Hostname"));
        assertTrue(text(".pager"), text(".pager").contains("Page 1 of 4"));
        driver.findElement(By.linkText("Next")).click();
        wait.until(ExpectedConditions.urlContains("page=2"));
        assertEquals(order.subList(10, 20), column("Hostname"));

        open("/hosts/");
        new Select(driver.findElement(By.name("upgrades"))).selectByValue("security");
        wait.until(ExpectedConditions.urlContains("upgrades=security"));
        List<String> security = order.stream().filter(name -> FLEET.host(name).security() > 0).collect(Collectors.toList());
        assertEquals(security, column("Hostname"));
        WebElement badge = driver.findElement(By.xpath("//a[text()='" + HOST + "']/../span[contains(@class,'badge-security')]"));
        assertEquals(String.valueOf(FLEET.host(HOST).security()), badge.getText());
        screenshot("hosts");
        checkAccessibility("hosts");

        driver.findElement(By.linkText(HOST)).click();
        wait.until(ExpectedConditions.titleIs(HOST + " - DebMonitor"));
        Fleet.Host host = FLEET.host(HOST);
        assertEquals(List.of("Package", "Installed version", "Upgradable to", "Upgrade type"), headers());
        List<WebElement> securityRows = driver.findElements(By.cssSelector("tr.row-security"));
        assertEquals(host.security(), securityRows.size());
        for (WebElement row : securityRows) {
            assertEquals("security", row.findElement(By.cssSelector(".badge-security")).getText());
        }
        assertEquals(host.upgrades() - host.security(), driver.findElements(By.cssSelector("tr.row-upgrade")).size());
        List<String> securityFirst = column("Package").subList(0, (int) host.security());
        assertTrue(securityFirst.toString(), securityFirst.stream().allMatch(name -> host.row(name).security()));
        assertEquals(host.kernel(), driver.findElement(By.linkText(host.kernel())).getText());
        screenshot("host-detail");
        checkAccessibility("host detail");

        driver.findElement(By.linkText("nginx")).click();
        wait.until(ExpectedConditions.titleIs("nginx - DebMonitor"));
        List<String> versions = driver.findElements(By.cssSelector("table.versions td.version")).stream().map(WebElement::getText)
                .collect(Collectors.toList());
        List<String> debian12 = versions.subList(versions.size() - Fleet.NGINX_12.size(), versions.size());
        assertEquals("Debian 12's versions in dpkg order", Fleet.NGINX_12, debian12);
        List<String> groups = driver.findElements(By.cssSelector("tr.group th[colspan]")).stream().map(WebElement::getText)
                .map(t -> t.substring(0, t.lastIndexOf(' ', t.lastIndexOf(' ') - 1)).strip()).collect(Collectors.toList());
        List<String> expectedGroups = new ArrayList<>();
        expectedGroups.add(Fleet.DEBIAN_11 + " · " + "1.9-1");
        expectedGroups.add(Fleet.DEBIAN_11 + " · " + "1.18.0-6.1+deb11u3");
        Fleet.NGINX_12.forEach(v -> expectedGroups.add(Fleet.DEBIAN_12 + " · " + v));
        assertEquals("a group per OS and version, in dpkg order", expectedGroups, groups);
        screenshot("package-detail");
        checkAccessibility("package detail");

        driver.findElement(By.cssSelector("a[href='/source-packages/nginx']")).click();
        wait.until(ExpectedConditions.urlContains("/source-packages/nginx"));
        assertEquals("nginx - DebMonitor", driver.getTitle());
        assertEquals(List.of("1.9-1", "1.18.0-6.1+deb11u3", "1.9-1", "1.10~rc1-1", "1.10-1", "1:0.9-1"), column("Version"));
        checkAccessibility("source package");
        assertNoViolations();
    }

    @Test
    public void kernelsImagesKubernetesAndSearch() throws Exception {
        login();
        navigate("Kernels", "Kernels - DebMonitor");
        assertEquals(FLEET.dashboard().at("/kernels/total").asInt(), column("Kernel").size());
        driver.findElement(By.linkText(Fleet.KERNEL_12_NEW)).click();
        wait.until(ExpectedConditions.titleIs(Fleet.KERNEL_12_NEW + " - DebMonitor"));
        assertEquals(FLEET.hosts(h -> h.kernel().equals(Fleet.KERNEL_12_NEW)).stream().map(Fleet.Host::name).sorted().collect(Collectors.toList()),
                column("Hostname"));
        checkAccessibility("kernel detail");

        navigate("Images", "Images - DebMonitor");
        assertTrue(text("table.data"), text("table.data").contains("No images found."));
        checkAccessibility("images");
        navigate("Kubernetes", "Live Kubernetes Images - DebMonitor");
        assertTrue(driver.findElement(By.cssSelector("table.data")).isDisplayed());
        checkAccessibility("kubernetes");

        WebElement search = driver.findElement(By.id("nav-search"));
        search.sendKeys("ngi", Keys.ENTER);
        wait.until(ExpectedConditions.titleIs("Search - DebMonitor"));
        assertEquals("nginx", driver.findElement(By.cssSelector("#scope-packages ~ ul a")).getText());
        assertEquals(7, driver.findElements(By.cssSelector("section.result")).size());
        screenshot("search");
        checkAccessibility("search");

        String url = driver.getCurrentUrl();
        search = driver.findElement(By.id("nav-search"));
        search.clear();
        search.sendKeys("ng", Keys.ENTER);
        assertEquals("the search box enforces the minimum length", url, driver.getCurrentUrl());
        open("/search?q=ng");
        assertTrue(text("main"), text("main").contains("Invalid search query! At least 3 characters required."));
        assertNoViolations();
    }

    /** The markup host: its texts are shown as text, nothing of it becomes an element, and no script runs. */
    @Test
    public void markupIsShownLiterallyAndNeverRuns() throws Exception {
        login();
        open("/hosts/?q=evil");
        driver.findElement(By.linkText(Fleet.PAYLOAD_HOST)).click();
        wait.until(ExpectedConditions.titleIs(Fleet.PAYLOAD_HOST + " - DebMonitor"));
        String heading = driver.findElement(By.tagName("h1")).getText();
        assertTrue(heading, heading.startsWith(Fleet.PAYLOAD_HOST));
        assertTrue(text("main"), text("main").contains(Fleet.PAYLOAD_KERNEL));
        assertTrue(text("main"), text("main").contains(Fleet.PAYLOAD_RELEASE));
        assertTrue(text("main"), text("main").contains(Fleet.PAYLOAD_VERSION));
        assertTrue(text("main"), text("main").contains(Fleet.PAYLOAD_UPGRADE));
        assertTrue(text("main"), text("main").contains(Fleet.PAYLOAD_TYPE));
        assertNothingInjected();
        driver.findElement(By.linkText(Fleet.PAYLOAD_PACKAGE)).click();
        wait.until(ExpectedConditions.titleIs(Fleet.PAYLOAD_PACKAGE + " - DebMonitor"));
        assertEquals(Fleet.PAYLOAD_SOURCE, driver.findElement(By.cssSelector(".summary a")).getText());
        assertNothingInjected();
        WebElement search = driver.findElement(By.id("nav-search"));
        search.clear();
        search.sendKeys("xss", Keys.ENTER);
        wait.until(ExpectedConditions.titleIs("Search - DebMonitor"));
        assertEquals(Fleet.PAYLOAD_HOST, driver.findElement(By.cssSelector("#scope-hosts ~ ul a")).getText());
        assertNothingInjected();
        open("/search?q=" + UiPagesCheck.enc(Fleet.PAYLOAD_TYPE));
        assertEquals(Fleet.PAYLOAD_TYPE, driver.findElement(By.id("search-q")).getAttribute("value"));
        assertNothingInjected();
    }

    private void assertNothingInjected() {
        try {
            driver.switchTo().alert();
            fail("an alert is open on " + driver.getCurrentUrl());
        } catch (NoAlertPresentException expected) {
            // nothing ran
        }
        for (String tag : List.of("xss-host", "xss-kernel", "xss-release", "xss-package", "xss-source", "xss-version", "xss-upgrade", "xss-type")) {
            assertEquals(tag + " became an element on " + driver.getCurrentUrl(), 0, driver.findElements(By.tagName(tag)).size());
        }
        assertEquals(0, driver.findElements(By.cssSelector("img[src='x']")).size());
        for (LogEntry entry : driver.manage().logs().get(LogType.BROWSER)) {
            assertFalse(entry.getMessage(), entry.getMessage().contains("Content Security Policy"));
        }
    }

    @Test
    public void anAdminUploadsTheCveFeedAndReadsAHostsFindings() throws Exception {
        String host = "cve-check.eqiad.example.org";
        String report = "{\"api_version\": \"v1\", \"os\": \"Debian 12\", \"hostname\": \"" + host + "\", \"update_type\": \"full\","
                + " \"running_kernel\": {\"release\": \"6.1.0-18-amd64\", \"version\": \"" + Fleet.KERNEL_12 + "\"},"
                + " \"installed\": [{\"name\": \"libssl3\", \"version\": \"3.0.14-1~deb12u2\", \"source\": \"openssl\","
                + " \"source_version\": \"3.0.14-1~deb12u2\"}, {\"name\": \"openssh-server\", \"version\": \"1:9.2p1-2+deb12u2\","
                + " \"source\": \"openssh\"}], \"uninstalled\": [], \"upgradable\": [{\"name\": \"openssh-server\","
                + " \"version_from\": \"1:9.2p1-2+deb12u2\", \"version_to\": \"1:9.2p1-2+deb12u3\", \"source\": \"openssh\","
                + " \"type\": \"security\"}]}";
        assertEquals(201, UI.send(UI.proxy(), "POST", UI.httpsUrl("/hosts/" + host + "/update"), report, "Content-Type", "application/json")
                .statusCode());
        try {
            open("/login");
            submitLogin(UiDistribution.ADMIN, UiDistribution.ADMIN_PASSWORD);
            wait.until(ExpectedConditions.titleIs("DebMonitor - DebMonitor"));
            open("/cve-feed/");
            driver.findElement(By.name("feed")).sendKeys(Path.of(System.getProperty("fixtures.dir"), "cve", "dst-fixture.json")
                    .toRealPath().toString());
            WebElement importButton = driver.findElement(By.cssSelector("form[action='/cve-feed/upload'] button[type=submit]"));
            importButton.click();
            wait.until(ExpectedConditions.stalenessOf(importButton));
            assertEquals("/cve-feed/", path());
            assertTrue(text("main"), text("main").contains("upload:" + UiDistribution.ADMIN));
            screenshot("cve-feed");

            // The host's CVE tab: each finding with its reasoning behind "Why".
            open("/hosts/" + host + "?tab=cves");
            WebElement row = driver.findElement(By.xpath("//tr[td/a[text()='CVE-2024-9143']]"));
            row.findElement(By.tagName("summary")).click();
            String why = row.findElement(By.tagName("details")).getText();
            assertTrue(why, why.contains("Rule: 3.0.14-1~deb12u2 < 3.0.15-1~deb12u1 (dpkg) → affected"));
            screenshot("cve-tab");
            checkAccessibility("cve-tab");

            // Vulnerabilities: the stored findings, once the refresher and the recount have run.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            do {
                open("/cves/?q=openssh");
            } while (driver.findElements(By.linkText("CVE-2024-6387")).isEmpty() && System.nanoTime() < deadline);
            assertEquals(List.of("CVE-2024-6387"), column("CVE"));
            assertEquals(List.of("1"), column("Fix available"));
            open("/cves/");
            new Select(driver.findElement(By.name("urgency"))).selectByValue("not yet assigned");
            new Select(driver.findElement(By.name("kind"))).selectByValue("host");
            driver.findElement(By.cssSelector("form.filters button[type=submit]")).click();
            wait.until(ExpectedConditions.urlContains("kind=host"));
            List<String> issues = column("CVE");
            assertTrue(driver.getCurrentUrl() + " " + issues, issues.containsAll(List.of("CVE-2024-9143", "CVE-2024-6387")));
            List<Integer> fixable = column("Fix available").stream().map(Integer::valueOf).toList();
            assertEquals("fix available first", fixable.stream().sorted(Comparator.reverseOrder()).toList(), fixable);
            screenshot("cves");
            checkAccessibility("cves");

            driver.findElement(By.linkText("CVE-2024-9143")).click();
            wait.until(ExpectedConditions.titleContains("CVE-2024-9143"));
            assertEquals(1, driver.findElements(By.linkText(host)).size());
            screenshot("cve-detail");
            checkAccessibility("cve-detail");
        } finally {
            assertEquals(204, UI.send(UI.proxy(), "DELETE", UI.httpsUrl("/hosts/" + host), null).statusCode());
        }
    }

    // --- helpers -----------------------------------------------------------------------------

    private void open(String path) {
        driver.get(UI.httpsUrl(path));
    }

    private String path() {
        return URI.create(driver.getCurrentUrl()).getPath();
    }

    private String text(String css) {
        return driver.findElement(By.cssSelector(css)).getText();
    }

    private void login() {
        open("/login");
        submitLogin(UiDistribution.VIEWER, UiDistribution.VIEWER_PASSWORD);
        wait.until(ExpectedConditions.titleIs("DebMonitor - DebMonitor"));
    }

    private void submitLogin(String user, String password) {
        WebElement username = driver.findElement(By.name("username"));
        username.clear();
        username.sendKeys(user);
        driver.findElement(By.name("password")).sendKeys(password);
        WebElement button = driver.findElement(By.cssSelector("form[action='/login'] button[type=submit]"));
        button.click();
        // Chromium may answer "node does not belong to the document" instead of "stale" while the next page loads.
        new WebDriverWait(driver, Duration.ofSeconds(20)).ignoring(WebDriverException.class).until(ExpectedConditions.stalenessOf(button));
    }

    /** Follows a navbar link. */
    private void navigate(String link, String title) {
        driver.findElement(By.cssSelector("nav.nav")).findElement(By.linkText(link)).click();
        wait.until(ExpectedConditions.titleIs(title));
    }

    /** The header texts of the main data table, as written (CSS may show them in capitals), without sort arrows and extra sort keys. */
    private List<String> headers() {
        return driver.findElements(By.cssSelector("table.data:not(.versions) thead th")).stream()
                .map(th -> th.findElements(By.cssSelector("a.sort")).isEmpty() ? th : th.findElement(By.cssSelector("a.sort")))
                .map(e -> e.getAttribute("textContent").replaceAll("[▲▼]", "").strip()).collect(Collectors.toList());
    }

    /** The texts of one column of the main data table, rows that are not group headers or the empty-table row. */
    private List<String> column(String header) {
        int index = headers().indexOf(header);
        assertTrue(header + " in " + headers(), index >= 0);
        List<String> cells = new ArrayList<>();
        for (WebElement row : driver.findElements(By.cssSelector("table.data:not(.versions) tbody tr:not(.group)"))) {
            List<WebElement> tds = row.findElements(By.tagName("td"));
            if (tds.size() > index && tds.get(0).getAttribute("colspan") == null) {
                WebElement cell = tds.get(index);
                List<WebElement> links = cell.findElements(By.tagName("a"));
                cells.add(links.isEmpty() ? cell.getText() : links.get(0).getText());
            }
        }
        return cells;
    }

    /** A dashboard card: its total and its labelled numbers. */
    private void assertCard(String id, String total, Map<String, String> stats) {
        WebElement card = driver.findElement(By.cssSelector("section[aria-labelledby='card-" + id + "']"));
        if (total != null) {
            assertEquals(id, total, card.findElement(By.cssSelector(".big")).getText());
        }
        for (Map.Entry<String, String> stat : stats.entrySet()) {
            WebElement dd = card.findElement(By.xpath(".//dt[normalize-space()='" + stat.getKey() + "']/following-sibling::dd"));
            assertEquals(id + " " + stat.getKey(), stat.getValue(), dd.getText());
        }
    }

    private void screenshot(String name) throws IOException {
        File shot = driver.getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }

    /** Runs axe-core on the current page: every violation is logged, serious and critical ones fail the test at its end. */
    private void checkAccessibility(String page) {
        Results results = new AxeBuilder().analyze(driver);
        assertFalse("axe-core ran on " + page + ": " + results.getErrorMessage(), results.getPasses().isEmpty());
        LOGGER.info("axe-core: {}: {} rules passed, {} violated", page, results.getPasses().size(), results.getViolations().size());
        for (Rule rule : results.getViolations()) {
            List<String> targets = new ArrayList<>();
            for (CheckedNode node : rule.getNodes()) {
                targets.add(String.valueOf(node.getTarget()));
            }
            String line = page + ": " + rule.getImpact() + " " + rule.getId() + " (" + rule.getHelp() + ") at " + targets;
            LOGGER.info("axe-core: {}", line);
            if ("serious".equals(rule.getImpact()) || "critical".equals(rule.getImpact())) {
                accessibility.add(line);
            }
        }
    }

    private void assertNoViolations() {
        assertEquals("serious or critical accessibility violations", List.of(), accessibility);
    }
}
