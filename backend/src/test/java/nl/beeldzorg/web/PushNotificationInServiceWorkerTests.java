package nl.beeldzorg.web;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import com.google.gson.JsonObject;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.CDPSession;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import nl.beeldzorg.support.Browsers;
import nl.beeldzorg.support.DemoApplicationTests;
import nl.beeldzorg.support.H2TestDatabase;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.http.HttpStatus;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The consultant app's service worker receives a ring as a push message (delivered by
 * Chromium's DevTools protocol, since no push service is reachable here) and shows a
 * persistent notification with "Aannemen" and "Bekijken"; the address behind "Aannemen"
 * opens the app straight into the accepted call.
 */
class PushNotificationInServiceWorkerTests extends DemoApplicationTests {

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		String url = H2TestDatabase.create("beeldzorg-sw-push");
		registry.add("beeldzorg.database.url", () -> url);
	}

	@Test
	@SuppressWarnings("unchecked")
	void aPushedRingShowsANotificationWhoseAcceptOpensTheCall() throws Exception {
		String base = "http://127.0.0.1:" + this.port;
		present("so.sophie");
		String nurse = this.api.token("nurse.anna");
		JsonNode started = this.api.post("/api/v1/consults", nurse, Map.of("kind", "BEDSIDE", "locationId",
				"zga-de-sprengel", "clientRef", "K-PUSH", "urgency", "EMERGENCY", "requestedDiscipline", "SO"),
				HttpStatus.CREATED);
		String id = started.get("id").asString();
		try (Browsers browsers = Browsers.launch()) {
			Page app = browsers.page(420, 860);
			BrowserContext context = app.context();
			context.grantPermissions(List.of("notifications"),
					new BrowserContext.GrantPermissionsOptions().setOrigin(base));
			app.navigate(base + "/app/?as=so.sophie");
			app.locator("#live").filter(new Locator.FilterOptions().setHasText("Live")).waitFor();
			app.evaluate("() => navigator.serviceWorker.ready.then(() => true)");

			CDPSession devtools = context.newCDPSession(app);
			CompletableFuture<String> registration = new CompletableFuture<>();
			devtools.on("ServiceWorker.workerRegistrationUpdated",
					(event) -> event.getAsJsonArray("registrations").forEach((r) -> {
						JsonObject found = r.getAsJsonObject();
						if (found.get("scopeURL").getAsString().endsWith("/app/")
								&& !found.get("isDeleted").getAsBoolean()) {
							registration.complete(found.get("registrationId").getAsString());
						}
					}));
			devtools.send("ServiceWorker.enable");
			// Playwright hands on DevTools events while the test calls into it.
			for (int i = 0; i < 100 && !registration.isDone(); i++) {
				app.waitForTimeout(100);
			}
			// The payload as RingNotifier sends it (decrypted by the browser in real
			// life).
			JsonObject push = new JsonObject();
			push.addProperty("origin", base);
			push.addProperty("registrationId", registration.getNow("none"));
			push.addProperty("data", "{\"type\":\"consult.ringing\",\"consultId\":\"" + id
					+ "\",\"kind\":\"BEDSIDE\",\"urgency\":\"EMERGENCY\",\"from\":\"Anna de Vries\",\"url\":\"/app/?consult="
					+ id + "\"}");
			devtools.send("ServiceWorker.deliverPushMessage", push);

			app.waitForFunction("""
					async () => (await (await navigator.serviceWorker.ready).getNotifications()).length > 0""");
			Map<String, Object> shown = (Map<String, Object>) app.evaluate("""
					async () => {
					  const [n] = await (await navigator.serviceWorker.ready).getNotifications();
					  return { title: n.title, body: n.body, tag: n.tag, requireInteraction: n.requireInteraction,
					           url: n.data.url, actions: n.actions.map((a) => a.action + ':' + a.title) };
					}""");
			assertThat(shown).containsEntry("title", "Beeldzorg: consult gaat over")
				.containsEntry("body", "Anna de Vries vraagt u (!)")
				.containsEntry("tag", id)
				.containsEntry("requireInteraction", true)
				.containsEntry("url", "/app/?consult=" + id);
			assertThat((List<Object>) shown.get("actions")).containsExactly("accept:Aannemen", "open:Bekijken");

			// It speaks the language chosen in the app, not the phone's (English here).
			app.locator("#language").selectOption("en");
			app.waitForTimeout(300);
			devtools.send("ServiceWorker.deliverPushMessage", push);
			app.waitForFunction(
					"""
							async () => (await (await navigator.serviceWorker.ready).getNotifications())
							  .some((n) => n.title === 'Beeldzorg: a consult is ringing' && n.actions[0].title === 'Accept')""");
			app.locator("#language").selectOption("nl");

			// "Aannemen" opens the notification's address with accept=1 (see sw.js).
			app.navigate(base + shown.get("url") + "&accept=1");
			app.locator("#call").waitFor();
			JsonNode consult = this.api.get("/api/v1/consults/" + id, nurse, HttpStatus.OK);
			assertThat(consult.get("state").asString()).isEqualTo("ACTIVE");
			assertThat(consult.get("consultant").get("userId").asString()).isEqualTo(this.api.userId("so.sophie"));
		}
	}

}
