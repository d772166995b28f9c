package nl.beeldzorg.glasses;

import java.security.SecureRandom;

import android.content.Context;
import android.content.SharedPreferences;

/**
 * The glasses' own id, made once at random ({@code bril-} and eight letters and digits
 * that cannot be mistaken for one another): an ADMIN pairs it with a ward ({@code PUT
 * /api/v1/admin/glasses/{deviceId}}); the sign-in screen shows it.
 */
final class DeviceId {

	private static final String ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789";

	private DeviceId() {
	}

	static synchronized String of(Context context) {
		SharedPreferences preferences = context.getApplicationContext()
			.getSharedPreferences("device", Context.MODE_PRIVATE);
		String id = preferences.getString("id", null);
		if (id == null) {
			id = generate(new SecureRandom());
			preferences.edit().putString("id", id).apply();
		}
		return id;
	}

	static String generate(SecureRandom random) {
		StringBuilder id = new StringBuilder("bril-");
		for (int i = 0; i < 8; i++) {
			id.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
		}
		return id.toString();
	}

}
