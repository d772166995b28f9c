package nl.beeldzorg.notify;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Security;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;

import nl.beeldzorg.system.BeeldzorgProperties;
import nl.martijndwars.webpush.PushService;
import nl.martijndwars.webpush.Utils;
import org.bouncycastle.jce.interfaces.ECPublicKey;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

import org.springframework.stereotype.Component;

/**
 * The server's VAPID key pair (RFC 8292): configured in production, generated at start
 * when none is configured (demo mode), so browsers can subscribe either way.
 */
@Component
class PushKeys {

	private final String publicKey;

	private final PushService service;

	PushKeys(BeeldzorgProperties properties) throws GeneralSecurityException {
		if (Security.getProvider(BouncyCastleProvider.PROVIDER_NAME) == null) {
			Security.addProvider(new BouncyCastleProvider());
		}
		BeeldzorgProperties.Push push = properties.push();
		if (push.publicKey() != null && !push.publicKey().isBlank() && push.privateKey() != null
				&& !push.privateKey().isBlank()) {
			this.publicKey = push.publicKey();
			this.service = new PushService(push.publicKey(), push.privateKey(), push.subject());
		}
		else {
			KeyPairGenerator generator = KeyPairGenerator.getInstance("ECDH", BouncyCastleProvider.PROVIDER_NAME);
			generator.initialize(new ECGenParameterSpec("prime256v1"));
			KeyPair pair = generator.generateKeyPair();
			this.publicKey = Base64.getUrlEncoder()
				.withoutPadding()
				.encodeToString(Utils.encode((ECPublicKey) pair.getPublic()));
			this.service = new PushService(pair, push.subject());
		}
	}

	/**
	 * @return the application server key browsers subscribe with (Base64url)
	 */
	String publicKey() {
		return this.publicKey;
	}

	/**
	 * @return the library's service, used only to encrypt and sign (never to send)
	 */
	PushService service() {
		return this.service;
	}

}
