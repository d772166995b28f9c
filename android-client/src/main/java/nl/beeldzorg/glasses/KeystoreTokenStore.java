package nl.beeldzorg.glasses;

import java.nio.charset.StandardCharsets;
import java.security.KeyStore;

import javax.crypto.Cipher;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

import android.content.Context;
import android.content.SharedPreferences;
import android.security.keystore.KeyGenParameterSpec;
import android.security.keystore.KeyProperties;
import android.util.Base64;

/**
 * The tokens, encrypted (AES-GCM) with a key that lives in the Android Keystore and never
 * leaves it; only the ciphertext is in the app's private preferences. A token that cannot
 * be decrypted (key gone after a reset) counts as signed out.
 */
public final class KeystoreTokenStore implements TokenStore {

	private static final String KEYSTORE = "AndroidKeyStore";

	private static final String ALIAS = "beeldzorg.tokens";

	private final SharedPreferences preferences;

	public KeystoreTokenStore(Context context) {
		this.preferences = context.getSharedPreferences("tokens", Context.MODE_PRIVATE);
	}

	@Override
	public synchronized Tokens load() {
		String iv = this.preferences.getString("iv", null);
		String data = this.preferences.getString("data", null);
		if (iv == null || data == null) {
			return null;
		}
		try {
			Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
			cipher.init(Cipher.DECRYPT_MODE, key(), new GCMParameterSpec(128, Base64.decode(iv, Base64.NO_WRAP)));
			byte[] plain = cipher.doFinal(Base64.decode(data, Base64.NO_WRAP));
			return Tokens.fromJson(new String(plain, StandardCharsets.UTF_8));
		}
		catch (Exception ex) {
			clear();
			return null;
		}
	}

	@Override
	public synchronized void save(Tokens tokens) {
		try {
			Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
			cipher.init(Cipher.ENCRYPT_MODE, key());
			byte[] sealed = cipher.doFinal(tokens.toJson().getBytes(StandardCharsets.UTF_8));
			this.preferences.edit()
				.putString("iv", Base64.encodeToString(cipher.getIV(), Base64.NO_WRAP))
				.putString("data", Base64.encodeToString(sealed, Base64.NO_WRAP))
				.apply();
		}
		catch (Exception ex) {
			throw new IllegalStateException("Android Keystore refused the tokens", ex);
		}
	}

	@Override
	public synchronized void clear() {
		this.preferences.edit().clear().apply();
	}

	private static SecretKey key() throws Exception {
		KeyStore keyStore = KeyStore.getInstance(KEYSTORE);
		keyStore.load(null);
		if (keyStore.containsAlias(ALIAS)) {
			return ((KeyStore.SecretKeyEntry) keyStore.getEntry(ALIAS, null)).getSecretKey();
		}
		KeyGenerator generator = KeyGenerator.getInstance(KeyProperties.KEY_ALGORITHM_AES, KEYSTORE);
		generator
			.init(new KeyGenParameterSpec.Builder(ALIAS, KeyProperties.PURPOSE_ENCRYPT | KeyProperties.PURPOSE_DECRYPT)
				.setBlockModes(KeyProperties.BLOCK_MODE_GCM)
				.setEncryptionPaddings(KeyProperties.ENCRYPTION_PADDING_NONE)
				.setKeySize(256)
				.build());
		return generator.generateKey();
	}

}
