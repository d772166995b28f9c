package nl.beeldzorg.imoz;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Set;

/**
 * The images a huisarts may add to a question, recognised by their first bytes rather
 * than trusted from the declared type.
 */
final class ImageKinds {

	static final String JPEG = "image/jpeg";

	static final String PNG = "image/png";

	static final Set<String> ACCEPTED = Set.of(JPEG, PNG);

	private static final byte[] PNG_SIGNATURE = { (byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };

	private ImageKinds() {
	}

	static boolean looksLike(String contentType, byte[] bytes) {
		if (JPEG.equals(contentType)) {
			return bytes.length > 3 && (bytes[0] & 0xff) == 0xff && (bytes[1] & 0xff) == 0xd8
					&& (bytes[2] & 0xff) == 0xff;
		}
		if (PNG.equals(contentType)) {
			if (bytes.length <= PNG_SIGNATURE.length) {
				return false;
			}
			for (int i = 0; i < PNG_SIGNATURE.length; i++) {
				if (bytes[i] != PNG_SIGNATURE[i]) {
					return false;
				}
			}
			return true;
		}
		return false;
	}

	static String sha256(byte[] bytes) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("Every JVM has SHA-256", ex);
		}
	}

}
