package nl.beeldzorg.glasses;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.RGBLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import org.junit.Test;

import static org.assertj.core.api.Assertions.assertThat;

public class QrTests {

	@Test
	public void theSignInCodeReadsBackAsTheVerificationAddress() throws Exception {
		String address = "https://zorg.example.nl/realms/beeldzorg/device?user_code=BCDF-GHJK";
		boolean[][] modules = Qr.modules(address);
		int scale = 4;
		int size = modules.length * scale;
		int[] pixels = new int[size * size];
		for (int y = 0; y < size; y++) {
			for (int x = 0; x < size; x++) {
				pixels[y * size + x] = modules[y / scale][x / scale] ? 0xff000000 : 0xffffffff;
			}
		}
		String read = new QRCodeReader()
			.decode(new BinaryBitmap(new HybridBinarizer(new RGBLuminanceSource(size, size, pixels))))
			.getText();
		assertThat(read).isEqualTo(address);
		assertThat(modules[0][0]).as("quiet zone").isFalse();
	}

}
