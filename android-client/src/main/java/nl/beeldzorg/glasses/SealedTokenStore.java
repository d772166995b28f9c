package nl.beeldzorg.glasses;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;

import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * The tokens sealed with AES-GCM: only the IV and the ciphertext are stored, the key is
 * kept elsewhere ({@link KeystoreTokenStore}: in the Android Keystore, which never lets
 * it out). Plain Java, so the crypto is tested with a software key. Whatever cannot be
 * opened (key gone after a reset, tampered or truncated data) counts as signed out and is
 * cleared.
 */
public final class SealedTokenStore implements TokenStore {

	private static final String TRANSFORMATION = "AES/GCM/NoPadding";

	private static final int TAG_BITS = 128;

	/** Where the key is. */
	public interface Keys {

		/**
		 * @return the key, or null when there is none (never made, or wiped)
		 * @throws GeneralSecurityException when the key store cannot be read
		 */
		SecretKey existing() throws GeneralSecurityException;

		/**
		 * @return the key, made now when there is none
		 * @throws GeneralSecurityException when none can be made
		 */
		SecretKey existingOrNew() throws GeneralSecurityException;

	}

	/** Where the sealed strings are (the app's private preferences on the device). */
	public interface Storage {

		String get(String name);

		void put(String iv, String data);

		void clear();

	}

	private final Keys keys;

	private final Storage storage;

	public SealedTokenStore(Keys keys, Storage storage) {
		this.keys = keys;
		this.storage = storage;
	}

	@Override
	public synchronized Tokens load() {
		String iv = this.storage.get("iv");
		String data = this.storage.get("data");
		if (iv == null || data == null) {
			return null;
		}
		try {
			SecretKey key = this.keys.existing();
			if (key == null) {
				clear();
				return null;
			}
			Cipher cipher = Cipher.getInstance(TRANSFORMATION);
			cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, Base64.getDecoder().decode(iv)));
			byte[] plain = cipher.doFinal(Base64.getDecoder().decode(data));
			return Tokens.fromJson(new String(plain, StandardCharsets.UTF_8));
		}
		catch (Exception ex) {
			// A failed tag check (tampering), a wrong key, garbage: signed out.
			clear();
			return null;
		}
	}

	@Override
	public synchronized void save(Tokens tokens) {
		try {
			Cipher cipher = Cipher.getInstance(TRANSFORMATION);
			// The provider picks a fresh random IV for every encryption.
			cipher.init(Cipher.ENCRYPT_MODE, this.keys.existingOrNew());
			byte[] sealed = cipher.doFinal(tokens.toJson().getBytes(StandardCharsets.UTF_8));
			this.storage.put(Base64.getEncoder().encodeToString(cipher.getIV()),
					Base64.getEncoder().encodeToString(sealed));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("the key store refused the tokens", ex);
		}
	}

	@Override
	public synchronized void clear() {
		this.storage.clear();
	}

}
