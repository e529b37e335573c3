package io.codex.livemap;

import static org.assertj.core.api.Assertions.assertThat;

import io.codex.security.Role;
import io.codex.simulate.Simulator;
import io.codex.testing.Eventually;
import io.codex.testing.TestNode;
import io.codex.testing.Tokens;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;

/**
 * The map page in a real headless Chromium (apt {@code chromium} and {@code chromium-driver}),
 * fed by the simulator that {@code codex run --simulate} starts: devices appear and move, and
 * screenshots are kept under {@code src/target/} for a person to look at.
 */
class LiveMapPageIT {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final int DEVICES = 40;

  @TempDir static Path dir;
  static TestNode node;
  static ChromeDriver browser;
  static Simulator simulator;

  @BeforeAll
  static void start() throws Exception {
    assertThat(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER))
        .as("apt-get install -y chromium chromium-driver (.ci/run does)").isTrue();
    node = TestNode.start(dir.resolve("data"), TestNode.Ports.free(), Map.of("livemap.flushInterval", "200ms"));
    ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile());
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-dev-shm-usage", "--window-size=1400,900", "--use-angle=swiftshader", "--enable-unsafe-swiftshader");
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
        .usingAnyFreePort().build();
    browser = new ChromeDriver(service, options);
    browser.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
  }

  @AfterAll
  static void stop() throws Exception {
    if (browser != null) browser.quit();
    if (simulator != null) simulator.stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    if (node != null) node.close();
  }

  @Test
  void thePageShowsSimulatedDevicesMoving() throws Exception {
    String viewer = new Tokens(node).forRole(Role.VIEWER);
    // the link that `codex run` prints in embedded mode: the token rides in the fragment
    browser.get(node.url("/map#token=" + viewer));
    waitFor("the map loaded its offline style and connected", 30, () -> Boolean.TRUE.equals(js(
        "return !!window.codexMap && codexMap.connected() && codexMap.map.isStyleLoaded()"
            + " && codexMap.map.querySourceFeatures('countries').length > 100")));
    assertThat(browser.getCurrentUrl()).as("the token left the address bar").doesNotContain("token");
    assertThat(num("return codexMap.deviceCount()")).isZero();

    simulator = new Simulator(node.platform.vertx(), new Simulator.Settings(DEVICES, DEVICES, Simulator.Protocol.MQTT,
        node.url(""), node.mqttUrl(), new Tokens(node).forRole(Role.ADMIN), "sim-"));
    simulator.start().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);

    waitFor("some devices drawn", 30, () -> num("return codexMap.renderedDevices()") > 0);
    long firstCount = num("return codexMap.renderedDevices()");
    waitFor("all " + DEVICES + " devices drawn", 30,
        () -> num("return codexMap.renderedDevices()") >= DEVICES);
    long laterCount = num("return codexMap.renderedDevices()");
    assertThat(laterCount).as("rendered devices grew from " + firstCount).isGreaterThanOrEqualTo(firstCount).isGreaterThanOrEqualTo(DEVICES);

    @SuppressWarnings("unchecked")
    Map<String, List<Number>> before = (Map<String, List<Number>>) js("return codexMap.positions()");
    Thread.sleep(3_000);
    @SuppressWarnings("unchecked")
    Map<String, List<Number>> after = (Map<String, List<Number>>) js("return codexMap.positions()");
    long moved = before.keySet().stream().filter(after::containsKey)
        .filter(id -> !before.get(id).equals(after.get(id))).count();
    assertThat(moved).as("devices whose position changed in 3 s").isGreaterThan(DEVICES / 2);
    screenshot("livemap-world.png");

    browser.findElement(By.id("heatmap")).click();
    assertThat(js("return codexMap.map.getLayoutProperty('heat', 'visibility')")).isEqualTo("visible");
    screenshot("livemap-heatmap.png");
    browser.findElement(By.id("heatmap")).click();
    assertThat(js("return codexMap.map.getLayoutProperty('heat', 'visibility')")).isEqualTo("none");

    // zoom to one device: it is drawn as its own circle, and clicking it opens its panel
    String id = before.keySet().iterator().next();
    js("codexMap.map.jumpTo({center: codexMap.positions()['" + id + "'], zoom: 13})");
    waitFor("the device is drawn unclustered", 20, () -> Boolean.TRUE.equals(
        js("return codexMap.map.queryRenderedFeatures({layers: ['devices']}).some(f => f.properties.deviceId === '" + id + "')")));
    @SuppressWarnings("unchecked")
    Map<String, Number> px = (Map<String, Number>) js("var p = codexMap.map.project(codexMap.positions()['" + id + "']);"
        + "var c = codexMap.map.getCanvas(); return {x: p.x - c.clientWidth / 2, y: p.y - c.clientHeight / 2};");
    WebElement canvas = browser.findElement(By.cssSelector("#map canvas"));
    new Actions(browser).moveToElement(canvas, px.get("x").intValue(), px.get("y").intValue()).click().perform();
    waitFor("the device panel opened", 10, () -> browser.findElement(By.id("device")).isDisplayed());
    assertThat(browser.findElement(By.id("device-id")).getText()).isEqualTo(id);
    assertThat(browser.findElement(By.id("device-payload")).getText()).contains("speed");
    screenshot("livemap-device.png");

    // the geocoder arrives with another issue: the page says so instead of failing
    WebElement search = browser.findElement(By.id("search-q"));
    search.sendKeys("Zürich\n");
    waitFor("search answered", 10, () -> !browser.findElement(By.id("message")).getText().isBlank());
  }

  /** Waits for a condition of the page; on failure keeps a screenshot and says what the page shows. */
  private static void waitFor(String what, int seconds, java.util.function.Supplier<Boolean> condition) throws Exception {
    try {
      Eventually.within(Duration.ofSeconds(seconds), what, condition);
    } catch (AssertionError e) {
      screenshot("livemap-failed.png");
      throw new AssertionError(e.getMessage() + "; page state: " + js("return JSON.stringify({hook: !!window.codexMap,"
          + " connected: window.codexMap && codexMap.connected(), style: window.codexMap && codexMap.map.isStyleLoaded(),"
          + " devices: window.codexMap && codexMap.deviceCount(), updates: window.codexMap && codexMap.updates(),"
          + " rendered: window.codexMap && codexMap.renderedDevices(), status: document.getElementById('status').textContent,"
          + " message: document.getElementById('message').textContent,"
          + " login: !document.getElementById('login').hidden, errors: window.__errors || []})"));
    }
  }

  private static Object js(String script) {
    return ((JavascriptExecutor) browser).executeScript(script);
  }

  private static long num(String script) {
    Object v = js(script);
    return v instanceof Number n ? n.longValue() : -1;
  }

  private static void screenshot(String name) throws Exception {
    File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
    Path target = Path.of("target", name);
    Files.createDirectories(target.getParent());
    Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
    System.out.println("screenshot: " + target.toAbsolutePath());
  }
}
