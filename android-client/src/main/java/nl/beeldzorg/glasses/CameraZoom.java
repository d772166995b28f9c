package nl.beeldzorg.glasses;

import org.json.JSONException;
import org.json.JSONObject;

import android.hardware.camera2.CameraAccessException;
import android.hardware.camera2.CameraCharacteristics;
import android.hardware.camera2.CameraManager;

/**
 * How far the world camera zooms (Camera2 {@code SCALER_AVAILABLE_MAX_DIGITAL_ZOOM}): the
 * page zooms its own camera track, and uses this to know the device's limit where the
 * WebView reports no zoom range of its own.
 */
final class CameraZoom {

	private CameraZoom() {
	}

	/**
	 * @param cameras the camera service
	 * @return {@code {"camera":id,"min":1,"max":x}} for the back (world) camera, else the
	 * first; null when there is no camera or it does not zoom
	 */
	static String range(CameraManager cameras) {
		try {
			String chosen = null;
			for (String id : cameras.getCameraIdList()) {
				Integer facing = cameras.getCameraCharacteristics(id).get(CameraCharacteristics.LENS_FACING);
				if (chosen == null || (facing != null && facing == CameraCharacteristics.LENS_FACING_BACK)) {
					chosen = id;
					if (facing != null && facing == CameraCharacteristics.LENS_FACING_BACK) {
						break;
					}
				}
			}
			if (chosen == null) {
				return null;
			}
			Float max = cameras.getCameraCharacteristics(chosen)
				.get(CameraCharacteristics.SCALER_AVAILABLE_MAX_DIGITAL_ZOOM);
			if (max == null || max <= 1f) {
				return null;
			}
			JSONObject range = new JSONObject();
			range.put("camera", chosen);
			range.put("min", 1);
			range.put("max", (double) max);
			return range.toString();
		}
		catch (CameraAccessException | IllegalArgumentException | JSONException ex) {
			return null;
		}
	}

}
