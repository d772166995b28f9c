package nl.beeldzorg.imoz;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

import nl.beeldzorg.support.TestImages;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whole JPEGs and PNGs pass; renamed files, cut-off uploads and images with something
 * glued behind them (polyglots) do not.
 */
class ImageStructureTests {

	@Test
	void wholeImagesPass() throws Exception {
		assertThat(ImageStructure.problem("image/jpeg", TestImages.jpeg(64, 48, 1))).isNull();
		assertThat(ImageStructure.problem("image/jpeg", TestImages.jpeg(1, 1, 2))).isNull();
		assertThat(ImageStructure.problem("image/jpeg", progressiveJpeg())).isNull();
		assertThat(ImageStructure.problem("image/png", TestImages.png(64, 48))).isNull();
		assertThat(ImageStructure.problem("image/png", TestImages.png(1, 1))).isNull();
	}

	@Test
	void aCutOffImageIsRefusedWhereverItIsCut() {
		byte[] jpeg = TestImages.jpeg(64, 48, 3);
		byte[] png = TestImages.png(64, 48);
		for (int cut : new int[] { 2, 3, 4, 20, 100, jpeg.length / 2, jpeg.length - 2, jpeg.length - 1 }) {
			assertThat(ImageStructure.problem("image/jpeg", Arrays.copyOf(jpeg, cut))).as("JPEG cut at " + cut)
				.isNotNull();
		}
		for (int cut : new int[] { 8, 12, 33, png.length / 2, png.length - 12, png.length - 1 }) {
			assertThat(ImageStructure.problem("image/png", Arrays.copyOf(png, cut))).as("PNG cut at " + cut)
				.isNotNull();
		}
	}

	@Test
	void anImageWithSomethingGluedBehindItIsRefused() throws Exception {
		byte[] zip = zip();
		byte[] html = "<html><script>alert(1)</script></html>".getBytes(StandardCharsets.US_ASCII);
		assertThat(ImageStructure.problem("image/jpeg", concat(TestImages.jpeg(32, 32, 4), zip)))
			.contains("follow the JPEG's end");
		assertThat(ImageStructure.problem("image/jpeg", concat(TestImages.jpeg(32, 32, 4), html))).isNotNull();
		assertThat(ImageStructure.problem("image/png", concat(TestImages.png(32, 32), zip)))
			.contains("follow the PNG's end");
		assertThat(ImageStructure.problem("image/png", concat(TestImages.png(32, 32), new byte[] { 0 }))).isNotNull();
	}

	@Test
	void aRenamedOrForgedFileIsRefused() throws Exception {
		byte[] pdf = "%PDF-1.7\n1 0 obj<<>>endobj\n%%EOF".getBytes(StandardCharsets.US_ASCII);
		assertThat(ImageStructure.problem("image/jpeg", pdf)).isNotNull();
		assertThat(ImageStructure.problem("image/png", zip())).isNotNull();
		assertThat(ImageStructure.problem("image/png", TestImages.jpeg(16, 16, 5))).isNotNull();
		assertThat(ImageStructure.problem("image/jpeg", TestImages.png(16, 16))).isNotNull();
		// The first three bytes of a JPEG and then anything: what the old check let in.
		assertThat(ImageStructure.problem("image/jpeg", concat(new byte[] { (byte) 0xff, (byte) 0xd8, (byte) 0xff },
				"<script>alert(1)</script>".getBytes(StandardCharsets.US_ASCII))))
			.isNotNull();
		// SOI and EOI with nothing between: no frame, no scan.
		assertThat(
				ImageStructure.problem("image/jpeg", new byte[] { (byte) 0xff, (byte) 0xd8, (byte) 0xff, (byte) 0xd9 }))
			.contains("no image data");
		// A PNG whose pixels were changed after its CRC was written.
		byte[] png = TestImages.png(16, 16);
		png[png.length - 20] ^= 0x55;
		assertThat(ImageStructure.problem("image/png", png)).contains("CRC");
	}

	@Test
	void anImageOfNoSizeOrAbsurdSizeIsRefused() {
		byte[] jpeg = TestImages.jpeg(16, 16, 6);
		int sof = sof(jpeg);
		byte[] zero = jpeg.clone();
		zero[sof + 5] = 0;
		zero[sof + 6] = 0;
		assertThat(ImageStructure.problem("image/jpeg", zero)).contains("size");
		byte[] huge = jpeg.clone();
		huge[sof + 5] = (byte) 0xff;
		huge[sof + 6] = (byte) 0xff;
		assertThat(ImageStructure.problem("image/jpeg", huge)).contains("size");
	}

	/** The index of the height in the first SOF0 segment's body, minus three. */
	private static int sof(byte[] jpeg) {
		for (int i = 2; i + 1 < jpeg.length; i++) {
			if ((jpeg[i] & 0xff) == 0xff && (jpeg[i + 1] & 0xff) == 0xc0) {
				return i + 2;
			}
		}
		throw new AssertionError("no SOF0");
	}

	private static byte[] progressiveJpeg() throws Exception {
		BufferedImage image = new BufferedImage(40, 30, BufferedImage.TYPE_INT_RGB);
		for (int y = 0; y < 30; y++) {
			for (int x = 0; x < 40; x++) {
				image.setRGB(x, y, (x * 6) << 16 | (y * 8) << 8 | ((x + y) * 3));
			}
		}
		ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
		ImageWriteParam param = writer.getDefaultWriteParam();
		param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		try (MemoryCacheImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
			writer.setOutput(stream);
			writer.write(null, new IIOImage(image, null, null), param);
		}
		writer.dispose();
		byte[] bytes = out.toByteArray();
		// More than one scan: the walk must go past the first.
		int scans = 0;
		for (int i = 0; i + 1 < bytes.length; i++) {
			if ((bytes[i] & 0xff) == 0xff && (bytes[i + 1] & 0xff) == 0xda) {
				scans++;
			}
		}
		assertThat(scans).isGreaterThan(1);
		return bytes;
	}

	private static byte[] zip() throws Exception {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		try (ZipOutputStream zip = new ZipOutputStream(out)) {
			zip.putNextEntry(new ZipEntry("payload.html"));
			zip.write("<script>alert(1)</script>".getBytes(StandardCharsets.US_ASCII));
			zip.closeEntry();
		}
		return out.toByteArray();
	}

	private static byte[] concat(byte[] a, byte[] b) {
		byte[] both = Arrays.copyOf(a, a.length + b.length);
		System.arraycopy(b, 0, both, a.length, b.length);
		return both;
	}

}
