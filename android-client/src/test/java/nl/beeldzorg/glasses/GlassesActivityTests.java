package nl.beeldzorg.glasses;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import android.Manifest;
import android.app.Application;
import android.app.admin.DevicePolicyManager;
import android.content.ComponentName;
import android.content.Context;
import android.content.RestrictionsManager;
import android.net.ConnectivityManager;
import android.net.Uri;
import android.os.Bundle;
import android.os.Looper;
import android.view.View;
import android.view.ViewGroup;
import android.webkit.PermissionRequest;
import android.webkit.WebView;
import android.widget.Button;
import android.widget.TextView;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.robolectric.Robolectric;
import org.robolectric.RobolectricTestRunner;
import org.robolectric.RuntimeEnvironment;
import org.robolectric.annotation.Config;
import org.robolectric.shadow.api.Shadow;
import org.robolectric.shadows.ShadowActivity;
import org.robolectric.shadows.ShadowApplication;
import org.robolectric.shadows.ShadowConnectivityManager;
import org.robolectric.shadows.ShadowDevicePolicyManager;
import org.robolectric.shadows.ShadowLooper;
import org.robolectric.shadows.ShadowRestrictionsManager;
import org.robolectric.shadows.ShadowWebView;

import static nl.beeldzorg.glasses.FakeBackend.json;
import static org.assertj.core.api.Assertions.assertThat;

@RunWith(RobolectricTestRunner.class)
@Config(qualifiers = "w854dp-h480dp-land-mdpi")
public class GlassesActivityTests {

	/** The backend built into the manifest by the Maven build (pom.xml). */
	static final String BUILT_IN = "https://beeldzorg.example.nl";

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

	private void signedIn() {
		this.store.save(new Tokens("at-1", "rt-1", System.currentTimeMillis() + 3_600_000, BUILT_IN + "/oauth/token",
				"beeldzorg-glasses"));
	}

	private static ShadowWebView web(WebView view) {
		return Shadow.extract(view);
	}

	private static Application application() {
		return RuntimeEnvironment.getApplication();
	}

	private static void useBackend(Origin origin) {
		Bundle managed = new Bundle();
		managed.putString("backend", origin.toString());
		((ShadowRestrictionsManager) Shadow.extract(application().getSystemService(Context.RESTRICTIONS_SERVICE)))
			.setApplicationRestrictions(managed);
	}

	/** A WebView permission request as the page's getUserMedia makes it. */
	static final class Asked extends PermissionRequest {

		final String origin;

		final String[] resources;

		String[] granted;

		boolean denied;

		Asked(String origin, String... resources) {
			this.origin = origin;
			this.resources = resources;
		}

		@Override
		public Uri getOrigin() {
			return Uri.parse(this.origin);
		}

		@Override
		public String[] getResources() {
			return this.resources;
		}

		@Override
		public void grant(String[] resources) {
			this.granted = resources;
		}

		@Override
		public void deny() {
			this.denied = true;
		}

	}

	@Test
	public void showsTheConfiguredBackendsGlassesPage() {
		signedIn();
		GlassesActivity activity = Robolectric.buildActivity(GlassesActivity.class).setup().get();
		WebView webView = activity.webView();
		assertThat(webView).isNotNull();
		assertThat(web(webView).getLastLoadedUrl()).isEqualTo(BUILT_IN + "/glasses/");
		assertThat(webView.getSettings().getJavaScriptEnabled()).isTrue();
		assertThat(webView.getSettings().getAllowFileAccess()).isFalse();
		// Signed in: the call-back service is started.
		assertThat(((ShadowApplication) Shadow.extract(application())).getNextStartedService()
			.getComponent()
			.getClassName()).isEqualTo(EventStreamService.class.getName());
	}

	@Test
	public void managedConfigurationChoosesTheBackend() {
		signedIn();
		useBackend(Origin.of("https://zorg.example.org"));
		GlassesActivity activity = Robolectric.buildActivity(GlassesActivity.class).setup().get();
		assertThat(web(activity.webView()).getLastLoadedUrl()).isEqualTo("https://zorg.example.org/glasses/");
	}

	@Test
	public void grantsCameraAndMicrophoneOnlyToTheBackend() {
		signedIn();
		((ShadowApplication) Shadow.extract(application())).grantPermissions(Manifest.permission.CAMERA,
				Manifest.permission.RECORD_AUDIO);
		GlassesActivity activity = Robolectric.buildActivity(GlassesActivity.class).setup().get();
		android.webkit.WebChromeClient chrome = web(activity.webView()).getWebChromeClient();

		Asked own = new Asked(BUILT_IN + "/", PermissionRequest.RESOURCE_VIDEO_CAPTURE,
				PermissionRequest.RESOURCE_AUDIO_CAPTURE);
		chrome.onPermissionRequest(own);
		assertThat(own.granted).containsExactly(PermissionRequest.RESOURCE_VIDEO_CAPTURE,
				PermissionRequest.RESOURCE_AUDIO_CAPTURE);
		assertThat(own.denied).isFalse();

		Asked other = new Asked("https://evil.example/", PermissionRequest.RESOURCE_VIDEO_CAPTURE,
				PermissionRequest.RESOURCE_AUDIO_CAPTURE);
		chrome.onPermissionRequest(other);
		assertThat(other.granted).isNull();
		assertThat(other.denied).isTrue();

		Asked drm = new Asked(BUILT_IN + "/", PermissionRequest.RESOURCE_PROTECTED_MEDIA_ID);
		chrome.onPermissionRequest(drm);
		assertThat(drm.denied).isTrue();
	}

	@Test
	public void asksAndroidForCameraAndMicrophoneFirstThenGrants() {
		signedIn();
		GlassesActivity activity = Robolectric.buildActivity(GlassesActivity.class).setup().get();
		Asked own = new Asked(BUILT_IN + "/", PermissionRequest.RESOURCE_VIDEO_CAPTURE);
		web(activity.webView()).getWebChromeClient().onPermissionRequest(own);
		assertThat(own.granted).isNull();
		assertThat(((ShadowActivity) Shadow.extract(activity)).getLastRequestedPermission().requestedPermissions)
			.containsExactly(Manifest.permission.CAMERA, Manifest.permission.RECORD_AUDIO);
		((ShadowApplication) Shadow.extract(application())).grantPermissions(Manifest.permission.CAMERA,
				Manifest.permission.RECORD_AUDIO);
		activity.onRequestPermissionsResult(1,
				new String[] { Manifest.permission.CAMERA, Manifest.permission.RECORD_AUDIO }, new int[] { 0, 0 });
		assertThat(own.granted).containsExactly(PermissionRequest.RESOURCE_VIDEO_CAPTURE);
	}

	@Test
	public void theBridgeAnswersTheBackendsPageAndNoOther() {
		signedIn();
		GlassesActivity activity = Robolectric.buildActivity(GlassesActivity.class).setup().get();
		WebView webView = activity.webView();
		AppBridge bridge = (AppBridge) web(webView).getJavascriptInterface(AppBridge.NAME);
		assertThat(bridge).isNotNull();
		web(webView).getWebViewClient().onPageStarted(webView, "https://evil.example/", null);
		assertThat(bridge.accessToken()).isNull();
		assertThat(bridge.deviceId()).isNull();
		assertThat(bridge.deviceState()).isNull();
		assertThat(bridge.torch(true)).isFalse();
		web(webView).getWebViewClient().onPageStarted(webView, BUILT_IN + "/glasses/", null);
		assertThat(bridge.accessToken()).isEqualTo("at-1");
		String deviceId = bridge.deviceId();
		assertThat(deviceId).matches("bril-[a-z2-9]{8}").isEqualTo(bridge.deviceId());
		// What the backend accepts as a device id (PUT /api/v1/admin/glasses/{deviceId}).
		assertThat(deviceId).matches("[A-Za-z0-9][A-Za-z0-9-]{7,63}");
		assertThat(bridge.deviceState()).contains("\"thermal\"");
	}

	@Test
	public void signingOutThroughTheBridgeShowsTheAppsOwnSignIn() throws IOException {
		try (FakeBackend backend = new FakeBackend().withDemoIssuer()) {
			backend.on("/demo/oauth/device", json(200,
					"{\"device_code\":\"dc-1\",\"user_code\":\"BCDF-GHJK\",\"verification_uri\":\"https://zorg.example.nl/demo/device\","
							+ "\"expires_in\":600,\"interval\":600}"));
			useBackend(backend.origin());
			signedIn();
			GlassesActivity activity = Robolectric.buildActivity(GlassesActivity.class).setup().get();
			WebView webView = activity.webView();
			AppBridge bridge = (AppBridge) web(webView).getJavascriptInterface(AppBridge.NAME);
			web(webView).getWebViewClient().onPageStarted(webView, backend.origin() + "/glasses/", null);
			bridge.signOut();
			((ShadowLooper) Shadow.extract(Looper.getMainLooper())).idle();
			assertThat(this.store.load()).isNull();
			assertThat(texts(activity.findViewById(android.R.id.content))).contains("Aanmelden met code");
			assertThat(((ShadowApplication) Shadow.extract(application())).getNextStoppedService()
				.getComponent()
				.getClassName()).isEqualTo(EventStreamService.class.getName());
		}
	}

	@Test
	public void keepsTheWebViewOnTheBackend() {
		signedIn();
		GlassesActivity activity = Robolectric.buildActivity(GlassesActivity.class).setup().get();
		GlassesActivity.PageClient client = (GlassesActivity.PageClient) web(activity.webView()).getWebViewClient();
		assertThat(client.shouldOverrideUrlLoading(activity.webView(), request(BUILT_IN + "/glasses/?x=1"))).as("stays")
			.isFalse();
		assertThat(client.shouldOverrideUrlLoading(activity.webView(), request("https://evil.example/"))).as("blocked")
			.isTrue();
	}

	private static android.webkit.WebResourceRequest request(String url) {
		return new android.webkit.WebResourceRequest() {
			@Override
			public Uri getUrl() {
				return Uri.parse(url);
			}

			@Override
			public boolean isForMainFrame() {
				return true;
			}

			@Override
			public boolean isRedirect() {
				return false;
			}

			@Override
			public boolean hasGesture() {
				return false;
			}

			@Override
			public String getMethod() {
				return "GET";
			}

			@Override
			public java.util.Map<String, String> getRequestHeaders() {
				return java.util.Collections.emptyMap();
			}
		};
	}

	@Test
	public void startsLockTaskWhenDeviceOwner() {
		signedIn();
		DevicePolicyManager policies = (DevicePolicyManager) application()
			.getSystemService(Context.DEVICE_POLICY_SERVICE);
		((ShadowDevicePolicyManager) Shadow.extract(policies))
			.setDeviceOwner(new ComponentName(application(), AdminReceiver.class));
		GlassesActivity activity = Robolectric.buildActivity(GlassesActivity.class).setup().get();
		assertThat(((ShadowActivity) Shadow.extract(activity)).isLockTask()).isTrue();
		assertThat(policies.isLockTaskPermitted(application().getPackageName())).isTrue();
	}

	@Test
	public void noLockTaskWhenNotAllowed() {
		signedIn();
		GlassesActivity activity = Robolectric.buildActivity(GlassesActivity.class).setup().get();
		assertThat(((ShadowActivity) Shadow.extract(activity)).isLockTask()).isFalse();
	}

	@Test
	public void saysInDutchWhenTheNetworkIsAway() {
		signedIn();
		((ShadowConnectivityManager) Shadow.extract(application().getSystemService(Context.CONNECTIVITY_SERVICE)))
			.setActiveNetworkInfo(null);
		GlassesActivity activity = Robolectric.buildActivity(GlassesActivity.class).setup().get();
		View screen = activity.findViewById(android.R.id.content);
		assertThat(texts(screen)).anySatisfy((text) -> assertThat(text).contains("Geen netwerk"));
		assertThat(activity.webView()).isNull();
		assertReadableAndHandsFree(screen);
	}

	@Test
	public void signsInWithACodeApprovedOnAPhone() throws IOException {
		try (FakeBackend backend = new FakeBackend().withDemoIssuer()) {
			backend.on("/demo/oauth/device", json(200,
					"{\"device_code\":\"dc-1\",\"user_code\":\"BCDF-GHJK\",\"verification_uri\":\"https://zorg.example.nl/demo/device\","
							+ "\"expires_in\":600,\"interval\":1}"));
			backend.on("/demo/oauth/token",
					json(200, "{\"access_token\":\"at-9\",\"token_type\":\"Bearer\",\"expires_in\":300}"));
			useBackend(backend.origin());
			GlassesActivity activity = Robolectric.buildActivity(GlassesActivity.class).setup().get();
			View screen = activity.findViewById(android.R.id.content);
			assertThat(texts(screen)).contains("Aanmelden met code", "Bril: " + DeviceId.of(activity));
			assertReadableAndHandsFree(screen);
			boolean codeShown = false;
			long deadline = System.currentTimeMillis() + 15_000;
			while (activity.webView() == null && System.currentTimeMillis() < deadline) {
				((ShadowLooper) Shadow.extract(Looper.getMainLooper())).idle();
				if (texts(activity.findViewById(android.R.id.content)).contains("BCDF-GHJK")) {
					assertThat(texts(activity.findViewById(android.R.id.content)))
						.anySatisfy((text) -> assertThat(text).contains("https://zorg.example.nl/demo/device"));
					android.widget.ImageView qr = activity.findViewById(android.R.id.content).findViewWithTag("qr");
					assertThat(qr.getDrawable()).isNotNull();
					codeShown = true;
				}
				Thread.yield();
			}
			assertThat(codeShown).as("the code and its QR code were shown").isTrue();
			assertThat(this.store.load().accessToken).isEqualTo("at-9");
			assertThat(web(activity.webView()).getLastLoadedUrl()).isEqualTo(backend.origin() + "/glasses/");
		}
	}

	/** Text of at least 20 sp; every control focusable and with WearHF directives. */
	static void assertReadableAndHandsFree(View screen) {
		List<View> all = new ArrayList<>();
		collect(screen, all);
		int buttons = 0;
		for (View view : all) {
			if (view instanceof TextView) {
				float sp = ((TextView) view).getTextSize() / view.getResources().getDisplayMetrics().scaledDensity;
				assertThat(sp).as("text size of " + ((TextView) view).getText()).isGreaterThanOrEqualTo(20f);
				assertThat(String.valueOf(view.getContentDescription())).contains("hf_no_number");
			}
			if (view instanceof Button) {
				buttons++;
				Button button = (Button) view;
				assertThat(button.isFocusable()).isTrue();
				assertThat(String.valueOf(button.getContentDescription()))
					.isEqualTo("hf_no_number|hf_commands:" + button.getText());
				assertThat(button.getText().toString()).isUpperCase();
			}
		}
		assertThat(buttons).isGreaterThan(0);
	}

	static List<String> texts(View screen) {
		List<View> all = new ArrayList<>();
		collect(screen, all);
		List<String> texts = new ArrayList<>();
		for (View view : all) {
			if (view instanceof TextView) {
				texts.add(((TextView) view).getText().toString());
			}
		}
		return texts;
	}

	private static void collect(View view, List<View> into) {
		into.add(view);
		if (view instanceof ViewGroup) {
			ViewGroup group = (ViewGroup) view;
			for (int i = 0; i < group.getChildCount(); i++) {
				collect(group.getChildAt(i), into);
			}
		}
	}

}
