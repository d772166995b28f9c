package nl.beeldzorg.support;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.QRCodeWriter;

/**
 * A video file for Chromium's fake camera ({@code --use-file-for-fake-video-capture})
 * showing a QR code: what a client's wristband looks like to the glasses.
 */
public final class QrCamera {

	private static final int WIDTH = 640;

	private static final int HEIGHT = 480;

	private QrCamera() {
	}

	/**
	 * @param text what the QR code says
	 * @return a Y4M file (4:2:0, a few identical frames; Chromium loops it)
	 */
	public static Path video(String text) throws IOException, WriterException {
		BitMatrix code = new QRCodeWriter().encode(text, BarcodeFormat.QR_CODE, 360, 360,
				Map.of(EncodeHintType.MARGIN, 2));
		byte[] luma = new byte[WIDTH * HEIGHT];
		Arrays.fill(luma, (byte) 235);
		int left = (WIDTH - code.getWidth()) / 2;
		int top = (HEIGHT - code.getHeight()) / 2;
		for (int y = 0; y < code.getHeight(); y++) {
			for (int x = 0; x < code.getWidth(); x++) {
				if (code.get(x, y)) {
					luma[(top + y) * WIDTH + left + x] = 16;
				}
			}
		}
		byte[] chroma = new byte[(WIDTH / 2) * (HEIGHT / 2)];
		Arrays.fill(chroma, (byte) 128);
		Path file = Files.createTempFile("qr-camera", ".y4m");
		try (OutputStream out = Files.newOutputStream(file)) {
			out.write(("YUV4MPEG2 W" + WIDTH + " H" + HEIGHT + " F10:1 Ip A1:1 C420jpeg\n")
				.getBytes(StandardCharsets.US_ASCII));
			for (int frame = 0; frame < 10; frame++) {
				out.write("FRAME\n".getBytes(StandardCharsets.US_ASCII));
				out.write(luma);
				out.write(chroma);
				out.write(chroma);
			}
		}
		return file;
	}

}
