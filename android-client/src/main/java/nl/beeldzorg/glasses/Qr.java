package nl.beeldzorg.glasses;

import java.util.EnumMap;
import java.util.Map;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.QRCodeWriter;

import android.graphics.Bitmap;

/** The sign-in QR code (the verification address with the code), sharp at any size. */
final class Qr {

	private Qr() {
	}

	/**
	 * The modules of a QR code: true is dark.
	 * @param text what it encodes
	 * @return rows of modules, a quiet zone of two included
	 */
	static boolean[][] modules(String text) {
		Map<EncodeHintType, Object> hints = new EnumMap<>(EncodeHintType.class);
		hints.put(EncodeHintType.MARGIN, 2);
		try {
			BitMatrix matrix = new QRCodeWriter().encode(text, BarcodeFormat.QR_CODE, 0, 0, hints);
			boolean[][] modules = new boolean[matrix.getHeight()][matrix.getWidth()];
			for (int y = 0; y < matrix.getHeight(); y++) {
				for (int x = 0; x < matrix.getWidth(); x++) {
					modules[y][x] = matrix.get(x, y);
				}
			}
			return modules;
		}
		catch (WriterException ex) {
			throw new IllegalArgumentException("no QR code for " + text.length() + " characters", ex);
		}
	}

	/**
	 * The QR code as a bitmap, each module a whole number of pixels.
	 * @param text what it encodes
	 * @param maxPixels the largest width and height
	 * @return the bitmap
	 */
	static Bitmap bitmap(String text, int maxPixels) {
		boolean[][] modules = modules(text);
		int count = modules.length;
		int scale = Math.max(1, maxPixels / count);
		int size = count * scale;
		int[] pixels = new int[size * size];
		for (int y = 0; y < size; y++) {
			for (int x = 0; x < size; x++) {
				pixels[y * size + x] = modules[y / scale][x / scale] ? 0xff000000 : 0xffffffff;
			}
		}
		return Bitmap.createBitmap(pixels, size, size, Bitmap.Config.ARGB_8888);
	}

}
