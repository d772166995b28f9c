package nl.beeldzorg.glasses;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;

import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;

import android.content.Context;
import android.content.SharedPreferences;
import android.security.keystore.KeyGenParameterSpec;
import android.security.keystore.KeyProperties;

/**
 * The device's token store: {@link SealedTokenStore} with its AES key in the Android
 * Keystore (it never leaves it) and the sealed tokens in the app's private preferences.
 * Only {@link #generate()} needs a real device (Robolectric has no AndroidKeyStore); the
 * README lists it among the manual checks.
 */
public final class KeystoreTokenStore {

	private static final String KEYSTORE = "AndroidKeyStore";

	private static final String ALIAS = "beeldzorg.tokens";

	private KeystoreTokenStore() {
	}

	public static TokenStore create(Context context) {
		SharedPreferences preferences = context.getSharedPreferences("tokens", Context.MODE_PRIVATE);
		return new SealedTokenStore(new AndroidKeys(), new Preferences(preferences));
	}

	static final class AndroidKeys implements SealedTokenStore.Keys {

		@Override
		public SecretKey existing() throws GeneralSecurityException {
			KeyStore keyStore = KeyStore.getInstance(KEYSTORE);
			try {
				keyStore.load(null);
			}
			catch (IOException ex) {
				throw new GeneralSecurityException(ex);
			}
			if (!keyStore.containsAlias(ALIAS)) {
				return null;
			}
			return ((KeyStore.SecretKeyEntry) keyStore.getEntry(ALIAS, null)).getSecretKey();
		}

		@Override
		public SecretKey existingOrNew() throws GeneralSecurityException {
			SecretKey key = existing();
			return (key != null) ? key : generate();
		}

		private static SecretKey generate() throws GeneralSecurityException {
			KeyGenerator generator = KeyGenerator.getInstance(KeyProperties.KEY_ALGORITHM_AES, KEYSTORE);
			generator.init(new KeyGenParameterSpec.Builder(ALIAS,
					KeyProperties.PURPOSE_ENCRYPT | KeyProperties.PURPOSE_DECRYPT)
				.setBlockModes(KeyProperties.BLOCK_MODE_GCM)
				.setEncryptionPaddings(KeyProperties.ENCRYPTION_PADDING_NONE)
				.setKeySize(256)
				.build());
			return generator.generateKey();
		}

	}

	static final class Preferences implements SealedTokenStore.Storage {

		private final SharedPreferences preferences;

		Preferences(SharedPreferences preferences) {
			this.preferences = preferences;
		}

		@Override
		public String get(String name) {
			return this.preferences.getString(name, null);
		}

		@Override
		public void put(String iv, String data) {
			this.preferences.edit().putString("iv", iv).putString("data", data).apply();
		}

		@Override
		public void clear() {
			this.preferences.edit().clear().apply();
		}

	}

}
