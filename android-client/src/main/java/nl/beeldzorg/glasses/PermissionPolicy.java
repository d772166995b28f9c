package nl.beeldzorg.glasses;

import java.util.ArrayList;
import java.util.List;

/**
 * What the WebView may use: camera and microphone, for the configured origin only; every
 * other resource (protected media, MIDI) and every other origin is refused.
 */
public final class PermissionPolicy {

	/** android.webkit.PermissionRequest.RESOURCE_VIDEO_CAPTURE */
	public static final String VIDEO_CAPTURE = "android.webkit.resource.VIDEO_CAPTURE";

	/** android.webkit.PermissionRequest.RESOURCE_AUDIO_CAPTURE */
	public static final String AUDIO_CAPTURE = "android.webkit.resource.AUDIO_CAPTURE";

	private final Origin allowed;

	public PermissionPolicy(Origin allowed) {
		this.allowed = allowed;
	}

	/**
	 * The resources to grant.
	 * @param requestOrigin the origin asking, as the WebView gives it
	 * @param resources what it asks for
	 * @return the camera and microphone among them when the origin is the configured one;
	 * empty otherwise (then the whole request is denied)
	 */
	public String[] grantable(String requestOrigin, String[] resources) {
		List<String> granted = new ArrayList<>();
		if (resources != null && this.allowed.matches(requestOrigin)) {
			for (String resource : resources) {
				if (VIDEO_CAPTURE.equals(resource) || AUDIO_CAPTURE.equals(resource)) {
					granted.add(resource);
				}
			}
		}
		return granted.toArray(new String[0]);
	}

	/**
	 * Whether the WebView may navigate there; other addresses open nowhere.
	 * @param url the address
	 * @return true for the configured origin
	 */
	public boolean mayNavigate(String url) {
		return this.allowed.matches(url);
	}

}
