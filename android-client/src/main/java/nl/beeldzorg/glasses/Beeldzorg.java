package nl.beeldzorg.glasses;

import android.content.Context;
import android.content.RestrictionsManager;
import android.content.pm.ApplicationInfo;
import android.content.pm.PackageManager;
import android.os.Bundle;

/**
 * The app's few shared parts: the configured backend and the session. The backend is the
 * managed configuration's {@code backend} (set by the MDM or device owner) when valid, or
 * else the one built into the manifest ({@code -Dbeeldzorg.backend=…} at build time).
 */
public final class Beeldzorg {

	static final String BACKEND_META_DATA = "nl.beeldzorg.glasses.BACKEND";

	private static Session session;

	/** Replaces the token store (tests; the Keystore is the device's). */
	static TokenStore tokenStoreOverride;

	private Beeldzorg() {
	}

	/**
	 * The configured backend.
	 * @param context any context
	 * @return its origin, or null when none valid is configured
	 */
	public static Origin backend(Context context) {
		RestrictionsManager restrictions = (RestrictionsManager) context.getSystemService(Context.RESTRICTIONS_SERVICE);
		if (restrictions != null) {
			Bundle managed = restrictions.getApplicationRestrictions();
			String configured = (managed != null) ? managed.getString("backend") : null;
			if (configured != null && !configured.isEmpty()) {
				try {
					return Origin.of(configured);
				}
				catch (IllegalArgumentException ex) {
					return null;
				}
			}
		}
		try {
			ApplicationInfo info = context.getPackageManager()
				.getApplicationInfo(context.getPackageName(), PackageManager.GET_META_DATA);
			String built = (info.metaData != null) ? info.metaData.getString(BACKEND_META_DATA) : null;
			return (built != null) ? Origin.of(built) : null;
		}
		catch (PackageManager.NameNotFoundException | IllegalArgumentException ex) {
			return null;
		}
	}

	public static synchronized Session session(Context context) {
		if (session == null) {
			TokenStore store = (tokenStoreOverride != null) ? tokenStoreOverride
					: KeystoreTokenStore.create(context.getApplicationContext());
			DeviceGrantClient.Clock clock = DeviceGrantClient.Clock.SYSTEM;
			session = new Session(store, new DeviceGrantClient(new Http.UrlConnection(), clock), clock);
		}
		return session;
	}

	/** Forgets the session (tests). */
	static synchronized void reset() {
		session = null;
	}

}
