package nl.beeldzorg.glasses;

import org.json.JSONException;
import org.json.JSONObject;

import android.app.Activity;
import android.content.Intent;
import android.content.pm.PackageManager;
import android.os.Bundle;

/**
 * The glasses' own barcode app, started for a result: RealWear's built-in reader (voice
 * controlled), Vuzix's built-in scanner, or any app answering the ZXing scan intent,
 * whichever resolves on the device first. The page asks through the bridge and hears the
 * result as a {@code beeldzorg-barcode} event on {@code window}.
 */
final class BarcodeReader {

	static final int REQUEST = 1984;

	/** A barcode app: the action that starts it and the extra its text comes back in. */
	enum App {

		/**
		 * RealWear Navigator / HMT-1: documented by RealWear (developer.realwear.com).
		 */
		REALWEAR("com.realwear.barcodereader.intent.action.SCAN_BARCODE",
				"com.realwear.barcodereader.intent.extra.RESULT"),

		/**
		 * Vuzix M400/M4000: {@code ScannerIntent.ACTION} of Vuzix's barcode SDK. ASSUMED,
		 * not verified on a device: the action's value, and that the text also comes as a
		 * string extra; Vuzix's SDK returns a {@code ScanResult2} Parcelable whose class
		 * is not on Maven Central, so a result without a string extra reads as
		 * unreadable.
		 */
		VUZIX("com.vuzix.barcode.action.SCAN", "com.vuzix.barcode.extra.RESULT"),

		/** The ZXing Barcode Scanner intent, which many scanner apps answer. */
		ZXING("com.google.zxing.client.android.SCAN", "SCAN_RESULT");

		final String action;

		final String resultExtra;

		App(String action, String resultExtra) {
			this.action = action;
			this.resultExtra = resultExtra;
		}

	}

	private final Activity activity;

	BarcodeReader(Activity activity) {
		this.activity = activity;
	}

	/**
	 * @return the first barcode app that resolves on this device, or null
	 */
	App app() {
		PackageManager packages = this.activity.getPackageManager();
		for (App app : App.values()) {
			if (packages.resolveActivity(new Intent(app.action), 0) != null) {
				return app;
			}
		}
		return null;
	}

	/**
	 * Starts the barcode app. On the UI thread.
	 * @return false when there is none
	 */
	boolean start() {
		App app = app();
		if (app == null) {
			return false;
		}
		Intent intent = new Intent(app.action);
		if (app == App.ZXING) {
			intent.putExtra("SCAN_MODE", "QR_CODE_MODE");
		}
		this.activity.startActivityForResult(intent, REQUEST);
		return true;
	}

	/**
	 * @param resultCode the barcode app's result code
	 * @param data its result
	 * @return the script that tells the page: {@code {text}} on success,
	 * {@code {cancelled:true}} or {@code {error:"unreadable"}} otherwise; the text only
	 * ever as a JSON string
	 */
	static String resultScript(int resultCode, Intent data) {
		JSONObject detail = new JSONObject();
		try {
			if (resultCode != Activity.RESULT_OK) {
				detail.put("cancelled", true);
			}
			else {
				String text = text(data);
				if (text == null) {
					detail.put("error", "unreadable");
				}
				else {
					detail.put("text", text);
				}
			}
		}
		catch (JSONException ex) {
			throw new IllegalStateException(ex);
		}
		return "window.dispatchEvent(new CustomEvent(\"beeldzorg-barcode\",{detail:" + detail + "}))";
	}

	private static String text(Intent data) {
		if (data == null) {
			return null;
		}
		Bundle extras;
		try {
			extras = data.getExtras();
			if (extras == null) {
				return null;
			}
			for (App app : App.values()) {
				Object value = extras.get(app.resultExtra);
				if (value instanceof String && !((String) value).isEmpty()) {
					return (String) value;
				}
			}
		}
		catch (RuntimeException ex) {
			// A Parcelable of a class this app does not have (BadParcelableException).
			return null;
		}
		return null;
	}

}
