package nl.beeldzorg.support;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Random;

import javax.imageio.ImageIO;

/**
 * Real JPEG and PNG files for upload tests: noisy pictures, so that compression cannot
 * shrink them to nothing, and different for every seed.
 */
public final class TestImages {

	private TestImages() {
	}

	/**
	 * @param width pixels
	 * @param height pixels
	 * @param seed the noise
	 * @return a JPEG
	 */
	public static byte[] jpeg(int width, int height, long seed) {
		return image(width, height, seed, "jpg");
	}

	/**
	 * @param width pixels
	 * @param height pixels
	 * @return a PNG
	 */
	public static byte[] png(int width, int height) {
		return image(width, height, 42, "png");
	}

	/**
	 * @param bytes some bytes
	 * @return their SHA-256 in hex
	 */
	public static String sha256(byte[] bytes) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static byte[] image(int width, int height, long seed, String format) {
		BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
		Random random = new Random(seed);
		for (int y = 0; y < height; y++) {
			for (int x = 0; x < width; x++) {
				image.setRGB(x, y, random.nextInt(0x1000000));
			}
		}
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		try {
			ImageIO.write(image, format, out);
		}
		catch (IOException ex) {
			throw new IllegalStateException("Writing to memory cannot fail", ex);
		}
		return out.toByteArray();
	}

}
