package dev.onfs.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.onfs.server.OnfsCommand;
import dev.onfs.server.OnfsServer;
import dev.onfs.server.ServerConfig;
import dev.onfs.server.ServerLauncher;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console in a real browser (Debian's chromium, headless, through chromedriver) against {@code
 * serve --demo}: an editor requests a feature group, an admin reads the diff and approves it, the
 * group is in the catalog and served; the reject path; a viewer gets no approve button and the API
 * refuses the approval anyway; escaping, CSRF and cookie flags; keyboard use and narrow windows.
 * Screenshots go to {@code target/console-screenshots/}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleBrowserIT {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final Path SHOTS = Path.of("target", "console-screenshots");
  private static final Pattern CREDENTIALS =
      Pattern.compile("user 'admin' password (\\S+), user 'editor' password (\\S+)");
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
  private final List<WebDriver> drivers = new ArrayList<>();
  private final StringWriter banner = new StringWriter();
  private OnfsServer server;
  private int grpcPort;
  private int httpPort;
  private String adminPassword;
  private String editorPassword;
  private final String viewerPassword = "a-read-only-pass-123";

  @BeforeAll
  void serveDemo() throws Exception {
    assertThat(Files.isExecutable(CHROMIUM))
        .as("the console's browser tests need Debian's chromium at %s: apt-get install chromium chromium-driver"
            + " (scripts/test installs both)", CHROMIUM).isTrue();
    assertThat(Files.isExecutable(CHROMEDRIVER))
        .as("the console's browser tests need chromedriver at %s: apt-get install chromium-driver", CHROMEDRIVER)
        .isTrue();
    Files.createDirectories(SHOTS);
    grpcPort = freePort();
    httpPort = freePort();
    server = ServerLauncher.launch(ServerConfig.load(null, Map.of(), Map.of("demo", "true",
        "grpc-port", Integer.toString(grpcPort), "http-port", Integer.toString(httpPort),
        "bind-address", "127.0.0.1", "shutdown-grace", "1s")), new PrintWriter(banner, true));
    Matcher credentials = CREDENTIALS.matcher(banner.toString());
    assertThat(credentials.find()).as(banner.toString()).isTrue();
    adminPassword = credentials.group(1);
    editorPassword = credentials.group(2);
    assertThat(banner.toString()).contains("console on " + base() + "/console/");
    // A viewer, made through the API by the admin.
    String admin = apiLogin("admin", adminPassword);
    HttpResponse<String> created = apiPost("users", admin,
        "{\"name\":\"viewer\",\"role\":\"viewer\",\"password\":\"" + viewerPassword + "\"}");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
  }

  @AfterEach
  void quitBrowsers() {
    drivers.forEach(WebDriver::quit);
    drivers.clear();
  }

  @AfterAll
  void stop() throws Exception {
    server.close();
  }

  // ---- flows -----------------------------------------------------------------------------------

  @Test
  void anEditorRequestsAGroupTheAdminApprovesTheDiffAndItIsServed() throws Exception {
    WebDriver editor = browser(1280, 800);
    signIn(editor, "editor", editorPassword);
    assertThat(editor.findElement(By.id("who")).getText()).isEqualTo("editor (editor)");
    shot(editor, "catalog");
    editor.get(base() + "/console/requests/new-group");
    new Select(editor.findElement(By.id("entity"))).selectByValue("user");
    editor.findElement(By.id("label")).sendKeys("user_engagement");
    new Select(editor.findElement(By.id("data-type"))).selectByValue("FP32");
    new Select(editor.findElement(By.id("job"))).selectByValue("user_daily_job");
    editor.findElement(By.id("ttl")).clear();
    editor.findElement(By.id("ttl")).sendKeys("3600");
    editor.findElement(By.id("features")).sendKeys("clicks_7d = 0\nsessions_7d = 1.5");
    shot(editor, "new-group");
    editor.findElement(By.id("submit")).click();
    wait(editor).until(d -> d.getCurrentUrl().contains("done=submitted"));
    long id = requestId(editor.getCurrentUrl());
    assertThat(editor.findElement(By.id("status")).getText()).isEqualTo("PENDING");
    assertThat(editor.findElement(By.id("change-class")).getText()).isEqualTo("ADDITIVE");
    // The requester is an editor: no approve or reject form, but a withdraw button.
    assertThat(editor.findElements(By.id("approve"))).isEmpty();
    assertThat(editor.findElements(By.id("withdraw"))).hasSize(1);

    WebDriver admin = browser(1280, 800);
    signIn(admin, "admin", adminPassword);
    admin.get(base() + "/console/requests");
    assertThat(admin.findElement(By.id("requests")).getText()).contains("#" + id).contains("create-feature-group")
        .contains("feature-group:user/user_engagement").contains("editor");
    admin.findElement(By.linkText("#" + id)).click();
    assertThat(admin.findElement(By.id("change-class")).getText()).isEqualTo("ADDITIVE");
    String diff = admin.findElement(By.id("diff")).getText();
    assertThat(diff).contains("feature-group:user/user_engagement feature clicks_7d").contains("default 0")
        .contains("feature-group:user/user_engagement ttl-in-seconds").contains("3600");
    assertThat(admin.findElements(By.cssSelector("#diff tr.changed"))).hasSizeGreaterThanOrEqualTo(8);
    shot(admin, "request-diff");
    admin.findElement(By.id("comment")).sendKeys("looks right");
    admin.findElement(By.id("approve")).click();
    wait(admin).until(d -> d.getCurrentUrl().contains("done=approved"));
    assertThat(admin.findElement(By.id("status")).getText()).isEqualTo("APPROVED");

    // In the catalog at once: the catalog reads the control plane's published registry.
    admin.get(base() + "/console/catalog?q=clicks_7d");
    assertThat(admin.findElement(By.id("catalog")).getText()).contains("user_engagement").contains("clicks_7d");
    assertThat(admin.findElement(By.id("count")).getText()).startsWith("1 feature groups");
    shot(admin, "catalog-search");

    // Served: the server's file registry picks the published registry up; put and `onfs get` it.
    Path json = dir.resolve("put.json");
    Files.writeString(json, "{\"entityLabel\":\"user\",\"keysSchema\":[\"user_id\"],"
        + "\"featureGroupSchema\":[{\"label\":\"user_engagement\",\"featureLabels\":[\"clicks_7d\",\"sessions_7d\"]}],"
        + "\"data\":[{\"keyValues\":[\"77\"],\"featureValues\":[{\"values\":{\"fp32Values\":[42,2.5]}}]}]}");
    String target = "127.0.0.1:" + grpcPort;
    String got = "";
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < until) {
      int putExit = OnfsCommand.commandLine().setOut(new PrintWriter(new StringWriter()))
          .setErr(new PrintWriter(new StringWriter())).execute("put", "-t", target, "--file", json.toString());
      if (putExit == 0) {
        got = run("get", "-t", target, "-e", "user", "-k", "77", "-f", "user_engagement:clicks_7d,sessions_7d", "-o", "json");
        break;
      }
      Thread.sleep(200);
    }
    assertThat(got).contains("42").contains("2.5");

    // The group's page: settings, features, the approval in its history, freshness and a sample read.
    admin.findElement(By.linkText("user_engagement")).click();
    assertThat(admin.findElement(By.id("features")).getText()).contains("clicks_7d").contains("sessions_7d")
        .contains("1.5");
    assertThat(admin.findElement(By.id("history")).getText()).contains("#" + id).contains("create-feature-group");
    assertThat(admin.findElement(By.id("freshness")).getText()).contains("Rows since start").contains("1");
    admin.findElement(By.id("key")).sendKeys("77");
    admin.findElement(By.id("key")).sendKeys(Keys.ENTER);
    wait(admin).until(d -> !d.findElements(By.id("sample")).isEmpty());
    assertThat(admin.findElement(By.id("sample")).getText()).contains("clicks_7d 42").contains("sessions_7d 2.5");
    shot(admin, "feature-group");

    admin.get(base() + "/console/lineage?q=user_");
    WebElement svg = admin.findElement(By.id("lineage"));
    assertThat(svg.findElements(By.cssSelector("a.node.group"))).hasSizeGreaterThanOrEqualTo(5);
    assertThat(svg.getText()).contains("user_daily_job").contains("user/user_engagement").contains("store 1")
        .contains("ranker");
    shot(admin, "lineage");
    admin.get(base() + "/console/audit");
    assertThat(admin.findElement(By.id("audit")).getText()).contains("APPROVE").contains("FEATURES_READ");
    shot(admin, "audit");
  }

  @Test
  void theAdminRejectsWithAReasonThatShowsAsText() throws Exception {
    long id = submitGroupAsEditor("user_rejected_one");
    WebDriver admin = browser(1280, 800);
    signIn(admin, "admin", adminPassword);
    admin.get(base() + "/console/requests/" + id);
    // Rejecting needs a reason: an empty one is refused by the browser (required) and by the control plane.
    String script = "<img src=x onerror=\"window.__xss=1\"> too broad";
    admin.findElement(By.id("reason-input")).sendKeys(script);
    admin.findElement(By.id("reject")).click();
    wait(admin).until(d -> d.getCurrentUrl().contains("done=rejected"));
    assertThat(admin.findElement(By.id("status")).getText()).isEqualTo("REJECTED");
    assertThat(admin.findElement(By.id("reason")).getText()).isEqualTo(script);
    assertThat(admin.findElements(By.cssSelector("#reason img"))).isEmpty();
    assertThat(((JavascriptExecutor) admin).executeScript("return window.__xss === undefined")).isEqualTo(true);
    assertThat(admin.findElements(By.id("approve"))).isEmpty();
    admin.get(base() + "/console/catalog?q=user_rejected_one");
    assertThat(admin.findElement(By.id("count")).getText()).startsWith("0 feature groups");
  }

  @Test
  void aViewerSeesNoApproveButtonAndTheApprovalIsRefusedAnyway() throws Exception {
    long id = submitGroupAsEditor("user_viewer_check");
    WebDriver viewer = browser(1280, 800);
    signIn(viewer, "viewer", viewerPassword);
    assertThat(viewer.findElement(By.id("who")).getText()).isEqualTo("viewer (viewer)");
    assertThat(viewer.findElements(By.linkText("Users"))).isEmpty();
    assertThat(viewer.findElements(By.linkText("Request a new feature group"))).isEmpty();
    viewer.get(base() + "/console/requests/" + id);
    assertThat(viewer.findElements(By.id("approve"))).isEmpty();
    assertThat(viewer.findElements(By.id("reject"))).isEmpty();
    // The viewer's own session and form token, posted by hand: the control plane refuses.
    String session = viewer.manage().getCookieNamed("onfs_console").getValue();
    String csrf = viewer.findElement(By.cssSelector(".signout input[name=csrf]")).getDomAttribute("value");
    HttpResponse<String> forged = consolePost("requests/" + id + "/approve", session, "csrf=" + enc(csrf), base());
    assertThat(forged.statusCode()).isEqualTo(403);
    assertThat(forged.body()).contains("may not approve");
    // And through the API.
    String api = apiLogin("viewer", viewerPassword);
    HttpResponse<String> approval = apiPost("requests/" + id + "/approve", api, "{}");
    assertThat(approval.statusCode()).isEqualTo(403);
    // Still pending for the admin, who sees the buttons.
    WebDriver admin = browser(1280, 800);
    signIn(admin, "admin", adminPassword);
    admin.get(base() + "/console/requests/" + id);
    assertThat(admin.findElement(By.id("status")).getText()).isEqualTo("PENDING");
    assertThat(admin.findElements(By.id("approve"))).hasSize(1);
    // The sample read needs role editor: the viewer is told so.
    viewer.get(base() + "/console/groups/user/user_stats?key=1");
    assertThat(viewer.findElement(By.id("sample-error")).getText()).contains("may not read features")
        .contains("role editor");
    assertThat(viewer.findElements(By.id("sample"))).isEmpty();
  }

  @Test
  void aFeatureLabelHoldingAScriptTagShowsAsText() {
    WebDriver editor = browser(1280, 800);
    signIn(editor, "editor", editorPassword);
    editor.get(base() + "/console/requests/new-group");
    editor.findElement(By.id("label")).sendKeys("user_escaping");
    String label = "<script>alert(document.domain)</script>";
    editor.findElement(By.id("features")).sendKeys(label + " = 0");
    editor.findElement(By.id("submit")).click();
    WebElement error = wait(editor).until(d -> d.findElement(By.id("error")));
    assertThat(error.getText()).contains(label).contains("features[0].label");
    assertThat(editor.findElement(By.id("features")).getDomProperty("value")).isEqualTo(label + " = 0");
    // A script that ran would have opened an alert, which fails the next command.
    assertThat(editor.findElements(By.cssSelector("main script"))).isEmpty();
    // The refused field has the focus (console.js), for keyboard users.
    assertThat(editor.switchTo().activeElement().getDomAttribute("id")).isEqualTo("features");
    shot(editor, "escaped-error");
    editor.get(base() + "/console/catalog?q=" + enc(label));
    assertThat(editor.findElement(By.id("count")).getText()).contains(label);
    assertThat(editor.findElement(By.id("q")).getDomProperty("value")).isEqualTo(label);
    assertThat(editor.findElements(By.cssSelector("main script"))).isEmpty();
  }

  @Test
  void formsNeedTheSessionsTokenAndThisOriginAndCookiesAreLockedDown() throws Exception {
    HttpResponse<String> login = http.send(HttpRequest.newBuilder(URI.create(base() + "/console/login"))
        .header("Content-Type", "application/x-www-form-urlencoded").header("Origin", base())
        .POST(HttpRequest.BodyPublishers.ofString("name=admin&password=" + enc(adminPassword))).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(login.statusCode()).isEqualTo(303);
    String cookie = login.headers().firstValue("Set-Cookie").orElseThrow();
    assertThat(cookie).startsWith("onfs_console=").contains("Path=/console").contains("HttpOnly")
        .contains("SameSite=Strict").contains("Max-Age=43200").doesNotContain("Secure");
    String session = cookie.substring(cookie.indexOf('=') + 1, cookie.indexOf(';'));
    HttpResponse<String> page = consoleGet("users", session);
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow())
        .contains("default-src 'none'").contains("script-src 'self'").contains("frame-ancestors 'none'")
        .doesNotContain("unsafe-inline");
    assertThat(page.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    assertThat(page.headers().firstValue("Cache-Control")).hasValue("no-store");
    Matcher token = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(page.body());
    assertThat(token.find()).isTrue();
    String csrf = token.group(1);
    String form = "csrf=" + enc(csrf) + "&name=forged&role=admin&password=" + enc("a-long-password-1");

    assertThat(consolePost("users", session, "name=forged&role=admin&password=x", base()).statusCode()).isEqualTo(403);
    assertThat(consolePost("users", session, "csrf=" + enc(csrf.substring(1)) + "x&name=forged", base()).statusCode())
        .isEqualTo(403);
    assertThat(consolePost("users", session, form, "http://evil.example").statusCode()).isEqualTo(403);
    assertThat(consoleGet("users", session).body()).doesNotContain("forged");
    // The same form with the session's token, from this origin, works.
    HttpResponse<String> created = consolePost("users", session, form, base());
    assertThat(created.statusCode()).isEqualTo(303);
    assertThat(consoleGet("users", session).body()).contains("forged");
    // Signing out ends the control-plane session: the cookie no longer opens a page.
    assertThat(consolePost("logout", session, "csrf=" + enc(csrf), base()).statusCode()).isEqualTo(303);
    HttpResponse<String> after = consoleGet("catalog", session);
    assertThat(after.statusCode()).isEqualTo(303);
    assertThat(after.headers().firstValue("Location")).hasValue("/console/login");
    // The root of the HTTP port leads to the console.
    HttpResponse<String> root = http.send(HttpRequest.newBuilder(URI.create(base() + "/")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(root.statusCode()).isEqualTo(303);
    assertThat(root.headers().firstValue("Location")).hasValue("/console/");
  }

  @Test
  void pagesWorkByKeyboardAndAtDesktopAndNarrowWidths() {
    WebDriver driver = browser(1280, 800);
    driver.get(base() + "/");
    wait(driver).until(d -> d.getCurrentUrl().endsWith("/console/login"));
    // The user name has the focus; Tab goes on to the password and the button, Shift+Tab back to the
    // skip link.
    List<String> order = new ArrayList<>();
    order.add(focused(driver));
    for (Keys[] key : List.of(new Keys[] {Keys.TAB}, new Keys[] {Keys.TAB}, new Keys[] {Keys.SHIFT, Keys.TAB},
        new Keys[] {Keys.SHIFT, Keys.TAB}, new Keys[] {Keys.SHIFT, Keys.TAB})) {
      driver.switchTo().activeElement().sendKeys(Keys.chord(key));
      order.add(focused(driver));
    }
    assertThat(order).containsExactly("input#name", "input#password", "button#Sign in", "input#password",
        "input#name", "a#Skip to content");
    // Sign in with the keyboard alone.
    driver.switchTo().activeElement().sendKeys(Keys.TAB);
    driver.switchTo().activeElement().sendKeys("editor", Keys.TAB, editorPassword, Keys.ENTER);
    wait(driver).until(d -> d.getCurrentUrl().endsWith("/console/catalog"));

    for (String page : List.of("catalog", "requests/new-group", "groups/user/user_stats", "requests", "stores",
        "callers", "lineage")) {
      driver.get(base() + "/console/" + page);
      assertEveryFieldIsLabelled(driver, page);
      assertNoPageWideScroll(driver, page + " at 1280");
    }
    driver.manage().window().setSize(new Dimension(480, 800));
    for (String page : List.of("catalog", "requests/new-group", "groups/user/user_stats", "requests", "lineage")) {
      driver.get(base() + "/console/" + page);
      assertNoPageWideScroll(driver, page + " at 480");
      // Every navigation entry is on screen and reachable.
      for (WebElement link : driver.findElements(By.cssSelector("nav a"))) {
        assertThat(link.isDisplayed()).as(page + ": " + link.getText()).isTrue();
        assertThat(link.getRect().getX() + link.getRect().getWidth()).as(page + ": " + link.getText()).isLessThanOrEqualTo(480);
      }
    }
    driver.get(base() + "/console/catalog");
    shot(driver, "catalog-narrow");
  }

  // ---- helpers ---------------------------------------------------------------------------------

  private static String focused(WebDriver driver) {
    WebElement focused = driver.switchTo().activeElement();
    String id = focused.getDomAttribute("id");
    return focused.getTagName() + "#" + (id == null ? focused.getText() : id);
  }

  private void assertEveryFieldIsLabelled(WebDriver driver, String page) {
    for (WebElement field : driver.findElements(By.cssSelector("input:not([type=hidden]), select, textarea"))) {
      String id = field.getDomAttribute("id");
      assertThat(id).as(page + ": a field without an id").isNotBlank();
      assertThat(driver.findElements(By.cssSelector("label[for='" + id + "']")))
          .as(page + ": field #" + id + " has no label").isNotEmpty();
    }
  }

  private void assertNoPageWideScroll(WebDriver driver, String what) {
    Object overflow = ((JavascriptExecutor) driver).executeScript(
        "return document.documentElement.scrollWidth - document.documentElement.clientWidth");
    assertThat(((Number) overflow).intValue()).as(what + ": the page scrolls sideways").isLessThanOrEqualTo(0);
  }

  private long submitGroupAsEditor(String label) throws Exception {
    String editor = apiLogin("editor", editorPassword);
    HttpResponse<String> submitted = apiPost("requests", editor, "{\"kind\":\"create-feature-group\",\"payload\":"
        + "{\"entity\":\"user\",\"feature-group\":\"" + label + "\",\"data-type\":\"FP32\",\"store-id\":\"1\","
        + "\"job-id\":\"user_daily_job\",\"layout-version\":1,\"features\":[{\"label\":\"f1\",\"default-value\":\"0\"}]}}");
    assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(201);
    return JSON.readTree(submitted.body()).path("id").asLong();
  }

  private WebDriver browser(int width, int height) {
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
        "--window-size=" + width + "," + height, "--lang=en-US");
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(new File(CHROMEDRIVER.toString())).usingAnyFreePort().build();
    ChromeDriver driver = new ChromeDriver(service, options);
    drivers.add(driver);
    return driver;
  }

  private void signIn(WebDriver driver, String user, String password) {
    driver.get(base() + "/console/login");
    driver.findElement(By.id("name")).sendKeys(user);
    driver.findElement(By.id("password")).sendKeys(password);
    driver.findElement(By.cssSelector("form.login button")).click();
    wait(driver).until(d -> d.getCurrentUrl().endsWith("/console/catalog"));
    Cookie cookie = driver.manage().getCookieNamed("onfs_console");
    assertThat(cookie.isHttpOnly()).isTrue();
    assertThat(cookie.getSameSite()).isEqualTo("Strict");
  }

  private static WebDriverWait wait(WebDriver driver) {
    return new WebDriverWait(driver, Duration.ofSeconds(10));
  }

  private static void shot(WebDriver driver, String name) {
    try {
      Path png = ((ChromeDriver) driver).getScreenshotAs(OutputType.FILE).toPath();
      Files.copy(png, SHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new AssertionError("cannot save screenshot " + name, e);
    }
  }

  private static long requestId(String url) {
    Matcher m = Pattern.compile("/requests/(\\d+)").matcher(url);
    assertThat(m.find()).as(url).isTrue();
    return Long.parseLong(m.group(1));
  }

  private String base() {
    return "http://127.0.0.1:" + httpPort;
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private HttpResponse<String> consoleGet(String path, String session) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(base() + "/console/" + path))
        .header("Cookie", "onfs_console=" + session).build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> consolePost(String path, String session, String form, String origin) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(base() + "/console/" + path))
        .header("Cookie", "onfs_console=" + session).header("Origin", origin)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private String apiLogin(String user, String password) throws Exception {
    HttpResponse<String> r = apiPost("login", null, "{\"name\":\"" + user + "\",\"password\":\"" + password + "\"}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    String cookie = r.headers().firstValue("Set-Cookie").orElseThrow();
    return cookie.substring(cookie.indexOf('=') + 1, cookie.indexOf(';'));
  }

  private HttpResponse<String> apiPost(String path, String session, String body) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base() + "/api/" + path))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
    if (session != null) {
      request.header("Cookie", "onfs_session=" + session);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = OnfsCommand.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
    assertThat(exit).as("exit code of onfs %s; stderr: %s", String.join(" ", args), err).isZero();
    return out.toString();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
