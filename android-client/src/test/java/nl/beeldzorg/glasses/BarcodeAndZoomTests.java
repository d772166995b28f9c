package nl.beeldzorg.glasses;

import android.app.Activity;
import android.app.Application;
import android.content.Context;
import android.content.Intent;
import android.content.pm.ActivityInfo;
import android.content.pm.ResolveInfo;
import android.hardware.camera2.CameraCharacteristics;
import android.hardware.camera2.CameraManager;
import android.os.Looper;
import android.webkit.WebView;
import org.json.JSONObject;
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
import org.robolectric.shadows.ShadowCameraCharacteristics;
import org.robolectric.shadows.ShadowCameraManager;
import org.robolectric.shadows.ShadowLooper;
import org.robolectric.shadows.ShadowPackageManager;
import org.robolectric.shadows.ShadowWebView;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bridge's barcode reader (the glasses' own barcode app, started for a result) and
 * the world camera's zoom range.
 */
@RunWith(RobolectricTestRunner.class)
@Config(qualifiers = "w854dp-h480dp-land-mdpi")
public class BarcodeAndZoomTests {

	private static final String PAGE = GlassesActivityTests.BUILT_IN + "/glasses/";

	private final TokenStore store = new TokenStore.InMemory();

	@Before
	public void signedIn() {
		Beeldzorg.reset();
		Beeldzorg.tokenStoreOverride = this.store;
		this.store.save(new Tokens("at-1", "rt-1", System.currentTimeMillis() + 3_600_000,
				GlassesActivityTests.BUILT_IN + "/oauth/token", "beeldzorg-glasses"));
	}

	@After
	public void forget() {
		Beeldzorg.tokenStoreOverride = null;
		Beeldzorg.reset();
	}

	private static Application application() {
		return RuntimeEnvironment.getApplication();
	}

	/** A barcode app on the device that answers the action. */
	private static void installed(String action, String packageName) {
		ResolveInfo info = new ResolveInfo();
		info.activityInfo = new ActivityInfo();
		info.activityInfo.packageName = packageName;
		info.activityInfo.name = packageName + ".ScanActivity";
		ShadowPackageManager packages = Shadow.extract(application().getPackageManager());
		packages.addResolveInfoForIntent(new Intent(action), info);
	}

	private static ShadowWebView web(WebView view) {
		return Shadow.extract(view);
	}

	private static void idle() {
		((ShadowLooper) Shadow.extract(Looper.getMainLooper())).idle();
	}

	private static AppBridge bridge(GlassesActivity activity, String pageUrl) {
		WebView webView = activity.webView();
		web(webView).getWebViewClient().onPageStarted(webView, pageUrl, null);
		return (AppBridge) web(webView).getJavascriptInterface(AppBridge.NAME);
	}

	@Test
	public void scansWithRealWearsReaderAndHandsTheTextToThePage() throws Exception {
		installed("com.realwear.barcodereader.intent.action.SCAN_BARCODE", "com.realwear.barcodereader");
		GlassesActivity activity = Robolectric.buildActivity(GlassesActivity.class).setup().get();
		AppBridge bridge = bridge(activity, PAGE);
		assertThat(bridge.hasBarcodeReader()).isTrue();

		assertThat(bridge.scanBarcode()).isTrue();
		idle();
		ShadowActivity shadow = Shadow.extract(activity);
		ShadowActivity.IntentForResult started = shadow.getNextStartedActivityForResult();
		assertThat(started.intent.getAction()).isEqualTo("com.realwear.barcodereader.intent.action.SCAN_BARCODE");
		assertThat(started.requestCode).isEqualTo(BarcodeReader.REQUEST);

		// A label's text that would break out of a naive script: only ever a JSON string.
		String label = "zga-de-sprengel\");alert(\"x";
		shadow.receiveResult(started.intent, Activity.RESULT_OK,
				new Intent().putExtra("com.realwear.barcodereader.intent.extra.RESULT", label));
		String script = web(activity.webView()).getLastEvaluatedJavascript();
		assertThat(script).startsWith("window.dispatchEvent(new CustomEvent(\"beeldzorg-barcode\",{detail:");
		String detail = script.substring(script.indexOf("{detail:") + 8, script.length() - 3);
		assertThat(new JSONObject(detail).getString("text")).isEqualTo(label);
	}

	@Test
	public void aCancelledScanSaysSo() throws Exception {
		installed("com.realwear.barcodereader.intent.action.SCAN_BARCODE", "com.realwear.barcodereader");
		GlassesActivity activity = Robolectric.buildActivity(GlassesActivity.class).setup().get();
		AppBridge bridge = bridge(activity, PAGE);
		bridge.scanBarcode();
		idle();
		ShadowActivity shadow = Shadow.extract(activity);
		ShadowActivity.IntentForResult started = shadow.getNextStartedActivityForResult();
		shadow.receiveResult(started.intent, Activity.RESULT_CANCELED, null);
		assertThat(web(activity.webView()).getLastEvaluatedJavascript()).contains("{\"cancelled\":true}");
	}

	@Test
	public void vuzixsScannerIsUsedWhereRealWearsIsAbsent() {
		installed("com.vuzix.barcode.action.SCAN", "com.vuzix.barcode");
		GlassesActivity activity = Robolectric.buildActivity(GlassesActivity.class).setup().get();
		AppBridge bridge = bridge(activity, PAGE);
		assertThat(bridge.scanBarcode()).isTrue();
		idle();
		ShadowActivity shadow = Shadow.extract(activity);
		ShadowActivity.IntentForResult started = shadow.getNextStartedActivityForResult();
		assertThat(started.intent.getAction()).isEqualTo("com.vuzix.barcode.action.SCAN");
		// Vuzix's own Parcelable result without a string: unreadable, not a crash.
		shadow.receiveResult(started.intent, Activity.RESULT_OK, new Intent());
		assertThat(web(activity.webView()).getLastEvaluatedJavascript()).contains("{\"error\":\"unreadable\"}");
	}

	@Test
	public void withoutABarcodeAppNothingStarts() {
		GlassesActivity activity = Robolectric.buildActivity(GlassesActivity.class).setup().get();
		AppBridge bridge = bridge(activity, PAGE);
		assertThat(bridge.hasBarcodeReader()).isFalse();
		assertThat(bridge.scanBarcode()).isFalse();
		idle();
		assertThat(((ShadowActivity) Shadow.extract(activity)).getNextStartedActivityForResult()).isNull();
	}

	@Test
	public void anotherPageCannotScanNorHearTheResult() {
		installed("com.realwear.barcodereader.intent.action.SCAN_BARCODE", "com.realwear.barcodereader");
		GlassesActivity activity = Robolectric.buildActivity(GlassesActivity.class).setup().get();
		AppBridge bridge = bridge(activity, "https://evil.example/");
		assertThat(bridge.hasBarcodeReader()).isFalse();
		assertThat(bridge.scanBarcode()).isFalse();
		idle();
		ShadowActivity shadow = Shadow.extract(activity);
		assertThat(shadow.getNextStartedActivityForResult()).isNull();

		// Started from the backend's page, but another page is shown when the result
		// comes.
		bridge(activity, PAGE).scanBarcode();
		idle();
		ShadowActivity.IntentForResult started = shadow.getNextStartedActivityForResult();
		bridge(activity, "https://evil.example/");
		String before = web(activity.webView()).getLastEvaluatedJavascript();
		shadow.receiveResult(started.intent, Activity.RESULT_OK,
				new Intent().putExtra("com.realwear.barcodereader.intent.extra.RESULT", "zga-de-sprengel"));
		assertThat(web(activity.webView()).getLastEvaluatedJavascript()).isEqualTo(before);
	}

	@Test
	public void reportsTheWorldCamerasDigitalZoom() throws Exception {
		CameraManager cameras = (CameraManager) application().getSystemService(Context.CAMERA_SERVICE);
		CameraCharacteristics front = ShadowCameraCharacteristics.newCameraCharacteristics();
		((ShadowCameraCharacteristics) Shadow.extract(front)).set(CameraCharacteristics.LENS_FACING,
				CameraCharacteristics.LENS_FACING_FRONT);
		((ShadowCameraCharacteristics) Shadow.extract(front))
			.set(CameraCharacteristics.SCALER_AVAILABLE_MAX_DIGITAL_ZOOM, 2f);
		CameraCharacteristics world = ShadowCameraCharacteristics.newCameraCharacteristics();
		((ShadowCameraCharacteristics) Shadow.extract(world)).set(CameraCharacteristics.LENS_FACING,
				CameraCharacteristics.LENS_FACING_BACK);
		((ShadowCameraCharacteristics) Shadow.extract(world))
			.set(CameraCharacteristics.SCALER_AVAILABLE_MAX_DIGITAL_ZOOM, 8f);
		ShadowCameraManager shadow = Shadow.extract(cameras);
		shadow.addCamera("1", front);
		shadow.addCamera("0", world);

		GlassesActivity activity = Robolectric.buildActivity(GlassesActivity.class).setup().get();
		AppBridge bridge = bridge(activity, PAGE);
		JSONObject range = new JSONObject(bridge.cameraZoom());
		assertThat(range.getString("camera")).isEqualTo("0");
		assertThat(range.getDouble("min")).isEqualTo(1.0);
		assertThat(range.getDouble("max")).isEqualTo(8.0);
		assertThat(bridge(activity, "https://evil.example/").cameraZoom()).isNull();
	}

	@Test
	public void noZoomRangeWithoutACameraThatZooms() {
		CameraManager cameras = (CameraManager) application().getSystemService(Context.CAMERA_SERVICE);
		CameraCharacteristics fixed = ShadowCameraCharacteristics.newCameraCharacteristics();
		((ShadowCameraCharacteristics) Shadow.extract(fixed))
			.set(CameraCharacteristics.SCALER_AVAILABLE_MAX_DIGITAL_ZOOM, 1f);
		GlassesActivity activity = Robolectric.buildActivity(GlassesActivity.class).setup().get();
		assertThat(bridge(activity, PAGE).cameraZoom()).as("no camera").isNull();
		((ShadowCameraManager) Shadow.extract(cameras)).addCamera("0", fixed);
		assertThat(bridge(activity, PAGE).cameraZoom()).as("no zoom").isNull();
	}

	@Test
	public void theResultScriptCarriesOnlyJson() {
		assertThat(BarcodeReader.resultScript(Activity.RESULT_OK, null)).contains("{\"error\":\"unreadable\"}");
		assertThat(BarcodeReader.resultScript(Activity.RESULT_OK, new Intent().putExtra("SCAN_RESULT", "</script>")))
			.contains("{\"text\":\"<\\/script>\"}");
	}

}
