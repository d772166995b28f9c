package nl.beeldzorg.glasses;

import java.io.IOException;

import android.Manifest;
import android.app.Activity;
import android.app.admin.DevicePolicyManager;
import android.content.ComponentName;
import android.content.Context;
import android.content.Intent;
import android.content.IntentFilter;
import android.content.pm.PackageManager;
import android.net.ConnectivityManager;
import android.net.Network;
import android.net.NetworkInfo;
import android.os.Bundle;
import android.os.Handler;
import android.os.Looper;
import android.view.Gravity;
import android.view.View;
import android.view.WindowManager;
import android.webkit.PermissionRequest;
import android.webkit.WebChromeClient;
import android.webkit.WebResourceError;
import android.webkit.WebResourceRequest;
import android.webkit.WebResourceResponse;
import android.webkit.WebSettings;
import android.webkit.WebView;
import android.webkit.WebViewClient;
import android.widget.Button;
import android.widget.ImageView;
import android.widget.LinearLayout;
import android.widget.TextView;

/**
 * The glasses app's one activity: the configured backend's {@code /glasses/} page in a
 * WebView, signed in with a code approved on a phone (native screen), kept in front in
 * lock-task mode when the app is device owner, and a Dutch screen that says what is wrong
 * when the network or the backend is away.
 */
public class GlassesActivity extends Activity {

	static final String EXTRA_CONSULT = "nl.beeldzorg.glasses.CONSULT";

	static final String PAGE = "/glasses/";

	private static final int REQUEST_MEDIA = 1;

	private final Handler main = new Handler(Looper.getMainLooper());

	private Origin backend;

	private PermissionPolicy policy;

	private BridgeGuard guard;

	private Session session;

	private WebView webView;

	private PermissionRequest pendingRequest;

	private Thread signIn;

	private ConnectivityManager.NetworkCallback networkCallback;

	private boolean showingError;

	private final BarcodeReader barcodes = new BarcodeReader(this);

	@Override
	protected void onCreate(Bundle savedInstanceState) {
		super.onCreate(savedInstanceState);
		getWindow().addFlags(WindowManager.LayoutParams.FLAG_KEEP_SCREEN_ON);
		setShowWhenLocked(true);
		setTurnScreenOn(true);
		this.backend = Beeldzorg.backend(this);
		if (this.backend == null) {
			showError("Er is geen geldige Beeldzorg-server ingesteld. Vraag de beheerder dit in te stellen.", false);
			return;
		}
		this.policy = new PermissionPolicy(this.backend);
		this.guard = new BridgeGuard(this.backend);
		this.session = Beeldzorg.session(this);
		lockTaskIfAllowed();
		watchNetwork();
		showStart();
	}

	@Override
	protected void onNewIntent(Intent intent) {
		super.onNewIntent(intent);
		// Brought to the front by a call-back: the page shows it from its own event
		// stream,
		// and is told once more in case its stream slept with the screen.
		setIntent(intent);
		if (this.webView != null && !this.showingError) {
			String script = ringScript(intent.getStringExtra(EXTRA_CONSULT));
			if (script != null) {
				this.webView.evaluateJavascript(script, null);
			}
			this.webView.requestFocus();
		}
	}

	/**
	 * The barcode app's answer goes to the page only if the backend's page is still the
	 * one shown.
	 */
	@Override
	protected void onActivityResult(int requestCode, int resultCode, Intent data) {
		super.onActivityResult(requestCode, resultCode, data);
		if (requestCode != BarcodeReader.REQUEST || this.webView == null || this.showingError
				|| !this.guard.allowed()) {
			return;
		}
		this.webView.evaluateJavascript(BarcodeReader.resultScript(resultCode, data), null);
	}

	@Override
	protected void onDestroy() {
		stopSignIn();
		if (this.networkCallback != null) {
			((ConnectivityManager) getSystemService(Context.CONNECTIVITY_SERVICE))
				.unregisterNetworkCallback(this.networkCallback);
		}
		if (this.webView != null) {
			this.webView.destroy();
		}
		super.onDestroy();
	}

	/**
	 * Back goes back within the page; it never leaves the app (the glasses are a kiosk).
	 */
	@Override
	public void onBackPressed() {
		if (this.webView != null && !this.showingError && this.webView.canGoBack()) {
			this.webView.goBack();
		}
	}

	/** Kiosk: as device owner the app allows itself lock task and starts it. */
	void lockTaskIfAllowed() {
		DevicePolicyManager policies = (DevicePolicyManager) getSystemService(Context.DEVICE_POLICY_SERVICE);
		if (policies == null) {
			return;
		}
		if (policies.isDeviceOwnerApp(getPackageName())) {
			ComponentName admin = new ComponentName(this, AdminReceiver.class);
			policies.setLockTaskPackages(admin, new String[] { getPackageName() });
			// The glasses start in Beeldzorg after a reboot: it is their home screen.
			IntentFilter home = new IntentFilter(Intent.ACTION_MAIN);
			home.addCategory(Intent.CATEGORY_HOME);
			home.addCategory(Intent.CATEGORY_DEFAULT);
			policies.addPersistentPreferredActivity(admin, home, new ComponentName(this, GlassesActivity.class));
		}
		if (policies.isLockTaskPermitted(getPackageName())) {
			startLockTask();
		}
	}

	private void watchNetwork() {
		ConnectivityManager connectivity = (ConnectivityManager) getSystemService(Context.CONNECTIVITY_SERVICE);
		this.networkCallback = new ConnectivityManager.NetworkCallback() {
			@Override
			public void onAvailable(Network network) {
				GlassesActivity.this.main.post(() -> {
					if (GlassesActivity.this.showingError) {
						showStart();
					}
				});
			}
		};
		connectivity.registerDefaultNetworkCallback(this.networkCallback);
	}

	private boolean online() {
		ConnectivityManager connectivity = (ConnectivityManager) getSystemService(Context.CONNECTIVITY_SERVICE);
		NetworkInfo active = connectivity.getActiveNetworkInfo();
		return active != null && active.isConnected();
	}

	/**
	 * The page when signed in, the sign-in screen when not; the error screen when
	 * offline.
	 */
	void showStart() {
		if (!online()) {
			showError("Geen netwerk. Controleer de wifi van de bril.", true);
			return;
		}
		if (this.session.signedIn()) {
			EventStreamService.start(this);
			showPage();
		}
		else {
			showSignIn();
		}
	}

	void showPage() {
		this.showingError = false;
		if (this.webView == null) {
			this.webView = createWebView();
		}
		setContentView(this.webView);
		String consult = (getIntent() != null) ? getIntent().getStringExtra(EXTRA_CONSULT) : null;
		this.webView
			.loadUrl(this.backend.resolve(PAGE + ((ringScript(consult) != null) ? "?callBack=" + consult : "")));
		this.webView.requestFocus();
	}

	/**
	 * @param consultId a call-back's consult id from the service's notification
	 * @return the script that has the page ring it, or null when the id is no UUID (never
	 * anything else into the page)
	 */
	static String ringScript(String consultId) {
		if (consultId == null
				|| !consultId.matches("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")) {
			return null;
		}
		return "window.beeldzorgGlasses && window.beeldzorgGlasses.ring && window.beeldzorgGlasses.ring('" + consultId
				+ "')";
	}

	private WebView createWebView() {
		WebView view = new WebView(this);
		WebSettings settings = view.getSettings();
		settings.setJavaScriptEnabled(true);
		settings.setDomStorageEnabled(true);
		settings.setMediaPlaybackRequiresUserGesture(false);
		settings.setAllowFileAccess(false);
		settings.setAllowContentAccess(false);
		settings.setGeolocationEnabled(false);
		settings.setSupportMultipleWindows(false);
		settings.setMixedContentMode(WebSettings.MIXED_CONTENT_NEVER_ALLOW);
		view.setFocusable(true);
		view.setFocusableInTouchMode(true);
		view.addJavascriptInterface(new AppBridge(this, this.guard, this.session, () -> this.main.post(() -> {
			EventStreamService.stop(this);
			showSignIn();
		}), this.barcodes, this.main::post), AppBridge.NAME);
		view.setWebViewClient(new PageClient());
		view.setWebChromeClient(new MediaClient());
		return view;
	}

	/** Keeps the WebView on the backend and notices when the backend is away. */
	final class PageClient extends WebViewClient {

		@Override
		public boolean shouldOverrideUrlLoading(WebView view, WebResourceRequest request) {
			return !GlassesActivity.this.policy.mayNavigate(request.getUrl().toString());
		}

		@Override
		public void onPageStarted(WebView view, String url, android.graphics.Bitmap favicon) {
			GlassesActivity.this.guard.pageShown(url);
		}

		@Override
		public void doUpdateVisitedHistory(WebView view, String url, boolean isReload) {
			GlassesActivity.this.guard.pageShown(url);
		}

		@Override
		public void onReceivedError(WebView view, WebResourceRequest request, WebResourceError error) {
			if (request.isForMainFrame()) {
				backendAway();
			}
		}

		@Override
		public void onReceivedHttpError(WebView view, WebResourceRequest request, WebResourceResponse response) {
			if (request.isForMainFrame() && response.getStatusCode() >= 500) {
				backendAway();
			}
		}

	}

	/** Camera and microphone for the backend's page only. */
	final class MediaClient extends WebChromeClient {

		@Override
		public void onPermissionRequest(PermissionRequest request) {
			String[] granted = GlassesActivity.this.policy.grantable(String.valueOf(request.getOrigin()),
					request.getResources());
			if (granted.length == 0) {
				request.deny();
				return;
			}
			if (hasMediaPermissions()) {
				request.grant(granted);
				return;
			}
			if (GlassesActivity.this.pendingRequest != null) {
				GlassesActivity.this.pendingRequest.deny();
			}
			GlassesActivity.this.pendingRequest = request;
			requestPermissions(new String[] { Manifest.permission.CAMERA, Manifest.permission.RECORD_AUDIO },
					REQUEST_MEDIA);
		}

		@Override
		public void onPermissionRequestCanceled(PermissionRequest request) {
			if (GlassesActivity.this.pendingRequest == request) {
				GlassesActivity.this.pendingRequest = null;
			}
		}

	}

	private boolean hasMediaPermissions() {
		return checkSelfPermission(Manifest.permission.CAMERA) == PackageManager.PERMISSION_GRANTED
				&& checkSelfPermission(Manifest.permission.RECORD_AUDIO) == PackageManager.PERMISSION_GRANTED;
	}

	@Override
	public void onRequestPermissionsResult(int requestCode, String[] permissions, int[] results) {
		PermissionRequest request = this.pendingRequest;
		this.pendingRequest = null;
		if (requestCode != REQUEST_MEDIA || request == null) {
			return;
		}
		if (hasMediaPermissions()) {
			request.grant(this.policy.grantable(String.valueOf(request.getOrigin()), request.getResources()));
		}
		else {
			request.deny();
		}
	}

	private void backendAway() {
		if (!online()) {
			showError("Geen netwerk. Controleer de wifi van de bril.", true);
		}
		else {
			showError("De Beeldzorg-server is niet bereikbaar. Probeer het over een minuut opnieuw.", true);
		}
	}

	/**
	 * The Dutch error screen.
	 * @param message what is wrong, for the nurse
	 * @param retry whether "OPNIEUW" is offered
	 */
	void showError(String message, boolean retry) {
		this.showingError = true;
		LinearLayout screen = screen();
		screen.addView(Ui.text(this, "Beeldzorg werkt nu niet", 28));
		TextView detail = Ui.text(this, message, 22);
		detail.setTag("error");
		screen.addView(detail, spaced());
		if (retry) {
			Button again = Ui.button(this, "OPNIEUW", this::showStart);
			screen.addView(again, spaced());
			again.requestFocus();
		}
		setContentView(screen);
	}

	/** Sign-in with a code approved on a phone (RFC 8628). */
	void showSignIn() {
		this.showingError = false;
		stopSignIn();
		// 854x480: the QR code on the left, code and words on the right.
		LinearLayout screen = screen();
		screen.setOrientation(LinearLayout.HORIZONTAL);
		ImageView qr = new ImageView(this);
		qr.setTag("qr");
		qr.setContentDescription("hf_no_number");
		int qrSize = Ui.dp(this, 280);
		LinearLayout words = new LinearLayout(this);
		words.setOrientation(LinearLayout.VERTICAL);
		words.setGravity(Gravity.CENTER);
		TextView title = Ui.text(this, "Aanmelden met code", 26);
		TextView code = Ui.text(this, "…", 44);
		code.setTag("code");
		code.setLetterSpacing(0.1f);
		TextView instructions = Ui.text(this, "Een code wordt opgehaald.", 20);
		instructions.setTag("instructions");
		Button again = Ui.button(this, "NIEUWE CODE", this::showSignIn);
		words.addView(title);
		words.addView(code, spaced());
		words.addView(instructions, spaced());
		words.addView(again, spaced());
		TextView device = Ui.text(this, "Bril: " + DeviceId.of(this), 20);
		device.setTag("device");
		device.setAlpha(0.8f);
		words.addView(device, spaced());
		screen.addView(qr, new LinearLayout.LayoutParams(qrSize, qrSize));
		LinearLayout.LayoutParams right = new LinearLayout.LayoutParams(0, LinearLayout.LayoutParams.WRAP_CONTENT, 1);
		right.leftMargin = Ui.dp(this, 24);
		screen.addView(words, right);
		setContentView(screen);
		again.requestFocus();
		DeviceGrantClient client = new DeviceGrantClient(new Http.UrlConnection(), DeviceGrantClient.Clock.SYSTEM);
		Origin origin = this.backend;
		this.signIn = new Thread(() -> {
			try {
				DeviceGrantClient.Issuer issuer = client.discover(origin);
				DeviceGrantClient.DeviceCode shown = client.start(issuer);
				this.main.post(() -> {
					qr.setImageBitmap(Qr.bitmap(shown.verificationUriComplete, qrSize));
					code.setText(shown.userCode);
					instructions.setText("Scan de QR-code met uw telefoon, of ga naar\n" + shown.verificationUri
							+ "\nen voer de code in. Na goedkeuring start Beeldzorg vanzelf.");
				});
				Tokens tokens = client.poll(issuer, shown);
				this.main.post(() -> {
					this.session.signedIn(tokens);
					showStart();
				});
			}
			catch (DeviceGrantClient.DeviceGrantException ex) {
				this.main.post(() -> instructions.setText(signInRefusal(ex.code)));
			}
			catch (IOException ex) {
				this.main.post(this::backendAway);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}, "beeldzorg-sign-in");
		this.signIn.setDaemon(true);
		this.signIn.start();
	}

	static String signInRefusal(String code) {
		switch (code) {
			case "expired_token":
				return "De code is verlopen. Zeg \"NIEUWE CODE\".";
			case "access_denied":
				return "De aanmelding is geweigerd. Zeg \"NIEUWE CODE\" om het opnieuw te proberen.";
			case "device.unavailable":
				return "Deze Beeldzorg-server biedt geen aanmelding met code. Vraag de beheerder.";
			default:
				return "Aanmelden lukte niet. Zeg \"NIEUWE CODE\" om het opnieuw te proberen.";
		}
	}

	private void stopSignIn() {
		if (this.signIn != null) {
			this.signIn.interrupt();
			this.signIn = null;
		}
	}

	private LinearLayout screen() {
		LinearLayout screen = new LinearLayout(this);
		screen.setOrientation(LinearLayout.VERTICAL);
		screen.setGravity(Gravity.CENTER);
		screen.setBackgroundColor(Ui.BACKGROUND);
		int padding = Ui.dp(this, 24);
		screen.setPadding(padding, padding, padding, padding);
		screen.setImportantForAccessibility(View.IMPORTANT_FOR_ACCESSIBILITY_YES);
		return screen;
	}

	private LinearLayout.LayoutParams spaced() {
		LinearLayout.LayoutParams params = new LinearLayout.LayoutParams(LinearLayout.LayoutParams.WRAP_CONTENT,
				LinearLayout.LayoutParams.WRAP_CONTENT);
		params.topMargin = Ui.dp(this, 16);
		params.gravity = Gravity.CENTER_HORIZONTAL;
		return params;
	}

	WebView webView() {
		return this.webView;
	}

	BridgeGuard guard() {
		return this.guard;
	}

}
