package nl.beeldzorg.glasses;

import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;

import org.junit.Before;
import org.junit.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The token store's crypto with a software AES key: on the device the same code runs with
 * the key in the Android Keystore.
 */
public class SealedTokenStoreTests {

	private final Map<String, String> stored = new HashMap<>();

	private SecretKey key;

	private boolean keyWiped;

	private SealedTokenStore store;

	@Before
	public void softwareKey() throws GeneralSecurityException {
		KeyGenerator generator = KeyGenerator.getInstance("AES");
		generator.init(256);
		this.key = generator.generateKey();
		this.store = new SealedTokenStore(new SealedTokenStore.Keys() {
			@Override
			public SecretKey existing() {
				return SealedTokenStoreTests.this.keyWiped ? null : SealedTokenStoreTests.this.key;
			}

			@Override
			public SecretKey existingOrNew() {
				SealedTokenStoreTests.this.keyWiped = false;
				return SealedTokenStoreTests.this.key;
			}
		}, new SealedTokenStore.Storage() {
			@Override
			public String get(String name) {
				return SealedTokenStoreTests.this.stored.get(name);
			}

			@Override
			public void put(String iv, String data) {
				SealedTokenStoreTests.this.stored.put("iv", iv);
				SealedTokenStoreTests.this.stored.put("data", data);
			}

			@Override
			public void clear() {
				SealedTokenStoreTests.this.stored.clear();
			}
		});
	}

	private static Tokens tokens() {
		return new Tokens("at-secret", "rt-secret", 1_900_000_000_000L, "https://zorg.example.nl/oauth/token",
				"beeldzorg-glasses");
	}

	@Test
	public void roundTripKeepsEveryFieldAndStoresNoTokenInTheClear() {
		this.store.save(tokens());
		assertThat(this.stored).containsOnlyKeys("iv", "data");
		assertThat(this.stored.values()).noneMatch((value) -> value.contains("secret"))
			.noneMatch((value) -> new String(Base64.getDecoder().decode(value), java.nio.charset.StandardCharsets.UTF_8)
				.contains("secret"));
		Tokens loaded = this.store.load();
		assertThat(loaded.accessToken).isEqualTo("at-secret");
		assertThat(loaded.refreshToken).isEqualTo("rt-secret");
		assertThat(loaded.expiresAtMillis).isEqualTo(1_900_000_000_000L);
		assertThat(loaded.tokenEndpoint).isEqualTo("https://zorg.example.nl/oauth/token");
		assertThat(loaded.clientId).isEqualTo("beeldzorg-glasses");
	}

	@Test
	public void everySaveHasAFreshIv() {
		this.store.save(tokens());
		String first = this.stored.get("iv");
		this.store.save(tokens());
		assertThat(this.stored.get("iv")).isNotEqualTo(first);
		assertThat(Base64.getDecoder().decode(this.stored.get("iv"))).hasSize(12);
	}

	@Test
	public void aTamperedCiphertextIsSignedOutAndCleared() {
		this.store.save(tokens());
		byte[] data = Base64.getDecoder().decode(this.stored.get("data"));
		data[3] ^= 0x01;
		this.stored.put("data", Base64.getEncoder().encodeToString(data));
		assertThat(this.store.load()).isNull();
		assertThat(this.stored).isEmpty();
	}

	@Test
	public void aTamperedIvOrTruncatedDataIsSignedOut() {
		this.store.save(tokens());
		byte[] iv = Base64.getDecoder().decode(this.stored.get("iv"));
		iv[0] ^= 0x01;
		this.stored.put("iv", Base64.getEncoder().encodeToString(iv));
		assertThat(this.store.load()).isNull();

		this.store.save(tokens());
		String data = this.stored.get("data");
		this.stored.put("data", data.substring(0, data.length() / 2));
		assertThat(this.store.load()).isNull();

		this.store.save(tokens());
		this.stored.put("data", "not base64 at all!");
		assertThat(this.store.load()).isNull();
	}

	@Test
	public void aMissingKeyMeansSignedOut() {
		this.store.save(tokens());
		this.keyWiped = true;
		assertThat(this.store.load()).isNull();
		assertThat(this.stored).isEmpty();
	}

	@Test
	public void anotherKeyCannotOpenTheTokens() throws GeneralSecurityException {
		this.store.save(tokens());
		KeyGenerator generator = KeyGenerator.getInstance("AES");
		generator.init(256);
		this.key = generator.generateKey();
		assertThat(this.store.load()).isNull();
	}

	@Test
	public void nothingStoredIsSignedOutAndClearForgets() {
		assertThat(this.store.load()).isNull();
		this.store.save(tokens());
		this.store.clear();
		assertThat(this.store.load()).isNull();
		assertThat(this.stored).isEmpty();
	}

}
