package nl.beeldzorg.glasses;

import java.util.concurrent.Executor;

import org.json.JSONException;
import org.json.JSONObject;

import android.content.Context;
import android.content.Intent;
import android.content.IntentFilter;
import android.hardware.camera2.CameraAccessException;
import android.hardware.camera2.CameraCharacteristics;
import android.hardware.camera2.CameraManager;
import android.os.BatteryManager;
import android.os.Build;
import android.os.PowerManager;
import android.webkit.JavascriptInterface;

/**
 * {@code window.BeeldzorgApp} in the page: what the page cannot do itself. Every method
 * first asks the {@link BridgeGuard} whether the page now shown is the configured
 * backend's; for any other page it answers nothing and does nothing.
 */
final class AppBridge {

	static final String NAME = "BeeldzorgApp";

	private final Context context;

	private final BridgeGuard guard;

	private final Session session;

	private final Runnable signOut;

	private final BarcodeReader barcodes;

	private final Executor ui;

	AppBridge(Context context, BridgeGuard guard, Session session, Runnable signOut, BarcodeReader barcodes,
			Executor ui) {
		this.context = context.getApplicationContext();
		this.guard = guard;
		this.session = session;
		this.signOut = signOut;
		this.barcodes = barcodes;
		this.ui = ui;
	}

	/**
	 * Whether the glasses have a barcode app ({@link BarcodeReader}): the page offers
	 * "SCANNEN" only then.
	 * @return true when one resolves, false for another page
	 */
	@JavascriptInterface
	public boolean hasBarcodeReader() {
		return this.guard.allowed() && this.barcodes.app() != null;
	}

	/**
	 * Starts the glasses' barcode app. The result comes later, to the page then shown if
	 * it is still the backend's, as {@code window} event {@code beeldzorg-barcode} with
	 * {@code detail} {@code {text}}, {@code {cancelled:true}} or {@code {error}}.
	 * @return whether a barcode app is being started
	 */
	@JavascriptInterface
	public boolean scanBarcode() {
		if (!this.guard.allowed() || this.barcodes.app() == null) {
			return false;
		}
		this.ui.execute(this.barcodes::start);
		return true;
	}

	/**
	 * The world camera's zoom range, for the page's "INZOOMEN"/"UITZOOMEN".
	 * @return {@code {"camera","min","max"}}, or null (no zoom, or another page)
	 */
	@JavascriptInterface
	public String cameraZoom() {
		if (!this.guard.allowed()) {
			return null;
		}
		return CameraZoom.range((CameraManager) this.context.getSystemService(Context.CAMERA_SERVICE));
	}

	/**
	 * @return a valid access token (refreshed when due), or null when signed out or
	 * refused
	 */
	@JavascriptInterface
	public String accessToken() {
		if (!this.guard.allowed()) {
			return null;
		}
		String token = this.session.accessToken();
		if (token == null) {
			// Signed out (the issuer ended the session): the app's own sign-in, not the
			// page's.
			this.signOut.run();
		}
		return token;
	}

	/**
	 * The glasses' own id, with which an ADMIN pairs them with a ward.
	 * @return the id, or null for another page
	 */
	@JavascriptInterface
	public String deviceId() {
		if (!this.guard.allowed()) {
			return null;
		}
		return DeviceId.of(this.context);
	}

	/**
	 * @return {@code {"battery":0-100,"charging":bool,"thermal":"NONE"…"SHUTDOWN"}}, or
	 * null
	 */
	@JavascriptInterface
	public String deviceState() {
		if (!this.guard.allowed()) {
			return null;
		}
		try {
			JSONObject state = new JSONObject();
			Intent battery = this.context.registerReceiver(null, new IntentFilter(Intent.ACTION_BATTERY_CHANGED));
			if (battery != null) {
				int level = battery.getIntExtra(BatteryManager.EXTRA_LEVEL, -1);
				int scale = battery.getIntExtra(BatteryManager.EXTRA_SCALE, 100);
				if (level >= 0 && scale > 0) {
					state.put("battery", level * 100 / scale);
				}
				state.put("charging", battery.getIntExtra(BatteryManager.EXTRA_PLUGGED, 0) != 0);
			}
			state.put("thermal", thermal());
			return state.toString();
		}
		catch (JSONException ex) {
			return null;
		}
	}

	private String thermal() {
		if (Build.VERSION.SDK_INT < 29) {
			return "UNKNOWN";
		}
		PowerManager power = (PowerManager) this.context.getSystemService(Context.POWER_SERVICE);
		switch (power.getCurrentThermalStatus()) {
			case PowerManager.THERMAL_STATUS_NONE:
				return "NONE";
			case PowerManager.THERMAL_STATUS_LIGHT:
				return "LIGHT";
			case PowerManager.THERMAL_STATUS_MODERATE:
				return "MODERATE";
			case PowerManager.THERMAL_STATUS_SEVERE:
				return "SEVERE";
			case PowerManager.THERMAL_STATUS_CRITICAL:
				return "CRITICAL";
			case PowerManager.THERMAL_STATUS_EMERGENCY:
				return "EMERGENCY";
			case PowerManager.THERMAL_STATUS_SHUTDOWN:
				return "SHUTDOWN";
			default:
				return "UNKNOWN";
		}
	}

	/**
	 * The torch of the first camera that has one. While the page's call holds the camera,
	 * Android may refuse: then false, and the page can use the track's torch constraint.
	 * @param on on or off
	 * @return whether it was switched
	 */
	@JavascriptInterface
	public boolean torch(boolean on) {
		if (!this.guard.allowed()) {
			return false;
		}
		CameraManager cameras = (CameraManager) this.context.getSystemService(Context.CAMERA_SERVICE);
		try {
			for (String id : cameras.getCameraIdList()) {
				Boolean flash = cameras.getCameraCharacteristics(id).get(CameraCharacteristics.FLASH_INFO_AVAILABLE);
				if (Boolean.TRUE.equals(flash)) {
					cameras.setTorchMode(id, on);
					return true;
				}
			}
		}
		catch (CameraAccessException | IllegalArgumentException ex) {
			return false;
		}
		return false;
	}

	/**
	 * Signs the glasses out (the page's "AFMELDEN" voice command): tokens gone, sign-in
	 * screen.
	 */
	@JavascriptInterface
	public void signOut() {
		if (!this.guard.allowed()) {
			return;
		}
		this.session.signOut();
		this.signOut.run();
	}

}
