package nl.beeldzorg.glasses;

import java.io.IOException;

import android.app.Notification;
import android.content.Context;
import android.content.RestrictionsManager;
import android.os.Bundle;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.robolectric.Robolectric;
import org.robolectric.RobolectricTestRunner;
import org.robolectric.RuntimeEnvironment;
import org.robolectric.android.controller.ServiceController;
import org.robolectric.shadow.api.Shadow;
import org.robolectric.shadows.ShadowRestrictionsManager;
import org.robolectric.shadows.ShadowService;

import static org.assertj.core.api.Assertions.assertThat;

@RunWith(RobolectricTestRunner.class)
public class EventStreamServiceTests {

	private final TokenStore store = new TokenStore.InMemory();

	@Before
	public void useTestTokenStore() {
		Beeldzorg.reset();
		Beeldzorg.tokenStoreOverride = this.store;
	}

	@After
	public void forgetTestTokenStore() {
		Beeldzorg.tokenStoreOverride = null;
		Beeldzorg.reset();
	}

	@Test
	public void runsInTheForegroundAndReconnectsTheStreamAfterADrop() throws Exception {
		try (FakeBackend backend = new FakeBackend()) {
			// Each stream ends at once: the service must come back for another.
			backend.on("/api/v1/events", EventStreamTests.stream(": hello", ""));
			Bundle managed = new Bundle();
			managed.putString("backend", backend.origin().toString());
			((ShadowRestrictionsManager) Shadow
				.extract(RuntimeEnvironment.getApplication().getSystemService(Context.RESTRICTIONS_SERVICE)))
				.setApplicationRestrictions(managed);
			this.store.save(new Tokens("at-1", null, System.currentTimeMillis() + 3_600_000,
					backend.origin() + "/oauth/token", "beeldzorg-glasses"));

			ServiceController<EventStreamService> controller = Robolectric.buildService(EventStreamService.class)
				.create()
				.startCommand(0, 1);
			EventStreamService service = controller.get();
			ShadowService shadow = Shadow.extract(service);
			Notification foreground = shadow.getLastForegroundNotification();
			assertThat(foreground).isNotNull();
			assertThat(foreground.extras.getString(Notification.EXTRA_TEXT)).isEqualTo("Beeldzorg is bereikbaar");
			assertThat(service.streaming()).isTrue();

			long deadline = System.currentTimeMillis() + 15_000;
			while (backend.requestsTo("/api/v1/events").size() < 3 && System.currentTimeMillis() < deadline) {
				Thread.sleep(50);
			}
			assertThat(backend.requestsTo("/api/v1/events")).hasSizeGreaterThanOrEqualTo(3)
				.allSatisfy((request) -> assertThat(request.authorization).isEqualTo("Bearer at-1"));

			controller.destroy();
			Thread.sleep(300);
			assertThat(service.streaming()).isFalse();
		}
	}

	@Test
	public void stopsWhenSignedOut() throws IOException, InterruptedException {
		ServiceController<EventStreamService> controller = Robolectric.buildService(EventStreamService.class)
			.create()
			.startCommand(0, 1);
		long deadline = System.currentTimeMillis() + 5000;
		while (controller.get().streaming() && System.currentTimeMillis() < deadline) {
			Thread.sleep(20);
		}
		assertThat(controller.get().streaming()).isFalse();
	}

	@Test
	public void aCallBackForTheDeviceRingsFullScreenAndStopsWhenAnswered() throws Exception {
		String id = "6f1c2a9e-1b2c-4d5e-8f90-123456789abc";
		try (FakeBackend backend = new FakeBackend()) {
			backend.on("/api/v1/events",
					EventStreamTests.stream(": connected", "", "event: consult.ringing",
							"data: {\"id\":\"11111111-2222-3333-4444-555555555555\"}", "", "event: consult.ringing",
							"data: {\"id\":\"" + id + "\",\"callBackOf\":\"0f1c2a9e-1b2c-4d5e-8f90-123456789abc\"}", "",
							": keep-alive", ""),
					EventStreamTests.stream(": connected", "", "event: consult.accepted",
							"data: {\"id\":\"" + id + "\",\"callBackOf\":\"0f1c2a9e-1b2c-4d5e-8f90-123456789abc\"}",
							""));
			Bundle managed = new Bundle();
			managed.putString("backend", backend.origin().toString());
			((ShadowRestrictionsManager) Shadow
				.extract(RuntimeEnvironment.getApplication().getSystemService(Context.RESTRICTIONS_SERVICE)))
				.setApplicationRestrictions(managed);
			this.store.save(new Tokens("at-1", null, System.currentTimeMillis() + 3_600_000,
					backend.origin() + "/oauth/token", "beeldzorg-glasses"));
			ServiceController<EventStreamService> controller = Robolectric.buildService(EventStreamService.class)
				.create()
				.startCommand(0, 1);
			android.app.NotificationManager manager = RuntimeEnvironment.getApplication()
				.getSystemService(android.app.NotificationManager.class);
			org.robolectric.shadows.ShadowNotificationManager notifications = Shadow.extract(manager);
			long deadline = System.currentTimeMillis() + 15_000;
			Notification call = null;
			while (call == null && System.currentTimeMillis() < deadline) {
				call = notifications.getNotification(EventStreamService.NOTIFICATION_CALL);
				Thread.sleep(20);
			}
			assertThat(call).as("the call-back rang").isNotNull();
			assertThat(call.fullScreenIntent).isNotNull();
			android.content.Intent opened = ((org.robolectric.shadows.ShadowPendingIntent) Shadow
				.extract(call.fullScreenIntent)).getSavedIntent();
			assertThat(opened.getStringExtra(GlassesActivity.EXTRA_CONSULT)).isEqualTo(id);
			assertThat(backend.requestsTo("/api/v1/events").get(0).query)
				.isEqualTo("glasses=" + DeviceId.of(RuntimeEnvironment.getApplication()));
			// A colleague answered on other glasses: it stops ringing here.
			while (notifications.getNotification(EventStreamService.NOTIFICATION_CALL) != null
					&& System.currentTimeMillis() < deadline) {
				Thread.sleep(20);
			}
			assertThat(notifications.getNotification(EventStreamService.NOTIFICATION_CALL)).isNull();
			controller.destroy();
		}
	}

	@Test
	public void onlyCallBacksWithAConsultIdReachThePage() {
		String id = "6f1c2a9e-1b2c-4d5e-8f90-123456789abc";
		assertThat(EventStreamService.CallBack.of("consult.ringing", "{\"id\":\"" + id + "\"}")).isNull();
		assertThat(
				EventStreamService.CallBack.of("consult.ringing", "{\"id\":\"x');alert(1);//\",\"callBackOf\":\"y\"}"))
			.isNull();
		assertThat(EventStreamService.CallBack.of("consult.ringing", "not json")).isNull();
		assertThat(EventStreamService.CallBack.of("imoz.question.created", "{}")).isNull();
		EventStreamService.CallBack ringing = EventStreamService.CallBack.of("consult.ringing",
				"{\"id\":\"" + id + "\",\"callBackOf\":\"z\"}");
		assertThat(ringing.consultId()).isEqualTo(id);
		assertThat(ringing.ringing()).isTrue();
		assertThat(EventStreamService.CallBack.of("consult.ended", "{\"id\":\"" + id + "\",\"callBackOf\":\"z\"}")
			.ringing()).isFalse();
		assertThat(GlassesActivity.ringScript(id)).contains("ring('" + id + "')");
		assertThat(GlassesActivity.ringScript("x');alert(1);//")).isNull();
		assertThat(GlassesActivity.ringScript(null)).isNull();
	}

}
