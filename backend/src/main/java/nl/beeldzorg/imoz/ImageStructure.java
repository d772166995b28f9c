package nl.beeldzorg.imoz;

import java.util.zip.CRC32;

import org.jspecify.annotations.Nullable;

/**
 * Walks a JPEG's segments or a PNG's chunks from the first byte to the last, so that a
 * file that only begins like an image (a renamed document, a truncated upload, an image
 * with a ZIP or a script glued behind it) is refused before it is stored. Pure arithmetic
 * over the bytes in memory: no decoder, no temporary files, safe on any thread.
 *
 * <p>
 * A JPEG must start with SOI, carry a frame header (SOF) with a width and height before
 * its first scan (SOS), have every segment's length fit, and end with EOI as its last two
 * bytes. A PNG must start with its signature, have IHDR first with a width and height,
 * every chunk whole with a correct CRC, at least one IDAT, and IEND last. Nothing may
 * follow EOI or IEND: that is where polyglot files and phones' appended videos sit.
 */
final class ImageStructure {

	/** The most pixels on a side the pages are asked to show. */
	static final int MAX_SIDE = 16_384;

	private static final byte[] PNG_SIGNATURE = { (byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };

	private ImageStructure() {
	}

	/**
	 * @param contentType {@code image/jpeg} or {@code image/png}
	 * @param bytes the whole file
	 * @return why the bytes are not a whole image of that type, or {@code null} when they
	 * are
	 */
	static @Nullable String problem(String contentType, byte[] bytes) {
		if (ImageKinds.JPEG.equals(contentType)) {
			return jpeg(bytes);
		}
		if (ImageKinds.PNG.equals(contentType)) {
			return png(bytes);
		}
		return "not an accepted image type";
	}

	static @Nullable String jpeg(byte[] b) {
		if (b.length < 4 || u8(b, 0) != 0xff || u8(b, 1) != 0xd8) {
			return "does not start like a JPEG (SOI)";
		}
		int i = 2;
		boolean frame = false;
		boolean scan = false;
		while (true) {
			if (i >= b.length || u8(b, i) != 0xff) {
				return "a JPEG segment is missing or cut off";
			}
			while (i < b.length && u8(b, i) == 0xff) {
				i++;
			}
			if (i >= b.length) {
				return "the JPEG ends inside a marker";
			}
			int marker = u8(b, i++);
			if (marker == 0xd9) {
				if (!scan) {
					return "the JPEG has no image data (no SOS before EOI)";
				}
				return (i == b.length) ? null : "bytes follow the JPEG's end (EOI)";
			}
			if (marker == 0xd8 || marker == 0x00 || (marker >= 0xd0 && marker <= 0xd7) || marker == 0x01) {
				return "a JPEG marker out of place";
			}
			if (i + 2 > b.length) {
				return "the JPEG ends inside a segment";
			}
			int length = u16(b, i);
			if (length < 2 || i + length > b.length) {
				return "a JPEG segment is longer than the file";
			}
			if (isFrame(marker)) {
				String bad = frame(b, i, length);
				if (bad != null) {
					return bad;
				}
				frame = true;
			}
			if (marker == 0xda) {
				if (!frame) {
					return "the JPEG's scan comes before its frame header (SOF)";
				}
				scan = true;
				i = entropyEnd(b, i + length);
				if (i < 0) {
					return "the JPEG's image data is cut off (no EOI)";
				}
				continue;
			}
			i += length;
		}
	}

	private static boolean isFrame(int marker) {
		return marker >= 0xc0 && marker <= 0xcf && marker != 0xc4 && marker != 0xc8 && marker != 0xcc;
	}

	private static @Nullable String frame(byte[] b, int at, int length) {
		if (length < 8) {
			return "the JPEG's frame header is too short";
		}
		int height = u16(b, at + 3);
		int width = u16(b, at + 5);
		int components = u8(b, at + 7);
		if (width == 0 || height == 0 || width > MAX_SIDE || height > MAX_SIDE) {
			return "the JPEG's size is " + width + "×" + height;
		}
		if (components < 1 || components > 4 || length != 8 + 3 * components) {
			return "the JPEG's frame header is malformed";
		}
		return null;
	}

	/**
	 * @return the index of the 0xFF of the marker that ends the entropy-coded data begun
	 * at {@code i}, or -1 when the file ends first
	 */
	private static int entropyEnd(byte[] b, int i) {
		while (i + 1 < b.length) {
			if (u8(b, i) != 0xff) {
				i++;
				continue;
			}
			int next = u8(b, i + 1);
			if (next == 0x00 || (next >= 0xd0 && next <= 0xd7)) {
				i += 2;
			}
			else if (next == 0xff) {
				i++;
			}
			else {
				return i;
			}
		}
		return -1;
	}

	static @Nullable String png(byte[] b) {
		if (b.length < PNG_SIGNATURE.length) {
			return "does not start like a PNG";
		}
		for (int k = 0; k < PNG_SIGNATURE.length; k++) {
			if (b[k] != PNG_SIGNATURE[k]) {
				return "does not start like a PNG";
			}
		}
		int i = PNG_SIGNATURE.length;
		boolean first = true;
		boolean data = false;
		while (true) {
			if (i + 12 > b.length) {
				return "a PNG chunk is cut off (no IEND)";
			}
			long length = u32(b, i);
			if (length > b.length - i - 12L) {
				return "a PNG chunk is longer than the file";
			}
			String type = new String(b, i + 4, 4, java.nio.charset.StandardCharsets.ISO_8859_1);
			if (!type.chars().allMatch((c) -> (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))) {
				return "a PNG chunk has no name";
			}
			int end = i + 8 + (int) length;
			CRC32 crc = new CRC32();
			crc.update(b, i + 4, 4 + (int) length);
			if (crc.getValue() != u32(b, end)) {
				return "a PNG chunk is damaged (CRC)";
			}
			if (first != type.equals("IHDR")) {
				return "the PNG does not begin with IHDR";
			}
			if (first) {
				String bad = header(b, i + 8, (int) length);
				if (bad != null) {
					return bad;
				}
				first = false;
			}
			data |= type.equals("IDAT");
			i = end + 4;
			if (type.equals("IEND")) {
				if (!data) {
					return "the PNG has no image data (IDAT)";
				}
				return (i == b.length) ? null : "bytes follow the PNG's end (IEND)";
			}
		}
	}

	private static @Nullable String header(byte[] b, int at, int length) {
		if (length != 13) {
			return "the PNG's IHDR is malformed";
		}
		long width = u32(b, at);
		long height = u32(b, at + 4);
		if (width == 0 || height == 0 || width > MAX_SIDE || height > MAX_SIDE) {
			return "the PNG's size is " + width + "×" + height;
		}
		return null;
	}

	private static int u8(byte[] b, int i) {
		return b[i] & 0xff;
	}

	private static int u16(byte[] b, int i) {
		return (u8(b, i) << 8) | u8(b, i + 1);
	}

	private static long u32(byte[] b, int i) {
		return ((long) u16(b, i) << 16) | u16(b, i + 2);
	}

}
