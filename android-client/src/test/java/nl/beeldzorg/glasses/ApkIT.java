package nl.beeldzorg.glasses;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import com.android.apksig.ApkVerifier;
import org.junit.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The APK the build made: signed (apksig), aligned (zipalign), with the manifest it
 * should have (aapt2) and the app's classes in its dex.
 */
public class ApkIT {

	private final File apk = new File(System.getProperty("apk", "target/apk-missing.apk"));

	@Test
	public void isSignedForAndroid9AndLater() throws Exception {
		assertThat(this.apk).isFile();
		ApkVerifier.Result result = new ApkVerifier.Builder(this.apk).setMinCheckedPlatformVersion(28).build().verify();
		assertThat(result.getErrors()).isEmpty();
		assertThat(result.isVerified()).isTrue();
		assertThat(result.isVerifiedUsingV2Scheme() || result.isVerifiedUsingV3Scheme()).isTrue();
		assertThat(result.getSignerCertificates()).hasSize(1);
	}

	@Test
	public void isAligned() throws Exception {
		Process zipalign = new ProcessBuilder("zipalign", "-c", "-p", "4", this.apk.getPath()).redirectErrorStream(true)
			.start();
		String output = read(zipalign.getInputStream());
		assertThat(zipalign.waitFor(60, TimeUnit.SECONDS)).isTrue();
		assertThat(zipalign.exitValue()).as(output).isZero();
	}

	@Test
	public void declaresThePackageSdkPermissionsAndLauncher() throws Exception {
		Process aapt2 = new ProcessBuilder("aapt2", "dump", "badging", this.apk.getPath()).redirectErrorStream(true)
			.start();
		String badging = read(aapt2.getInputStream());
		assertThat(aapt2.waitFor(60, TimeUnit.SECONDS)).isTrue();
		assertThat(aapt2.exitValue()).as(badging).isZero();
		assertThat(badging).contains("package: name='nl.beeldzorg.glasses'")
			.contains("sdkVersion:'28'")
			.contains("uses-permission: name='android.permission.CAMERA'")
			.contains("uses-permission: name='android.permission.RECORD_AUDIO'")
			.contains("uses-permission: name='android.permission.INTERNET'")
			.contains("uses-permission: name='android.permission.FOREGROUND_SERVICE'")
			.contains("launchable-activity: name='nl.beeldzorg.glasses.GlassesActivity'");
		Process manifest = new ProcessBuilder("aapt2", "dump", "xmltree", "--file", "AndroidManifest.xml",
				this.apk.getPath())
			.redirectErrorStream(true)
			.start();
		String tree = read(manifest.getInputStream());
		assertThat(manifest.waitFor(60, TimeUnit.SECONDS)).isTrue();
		assertThat(tree).contains("nl.beeldzorg.glasses.BACKEND")
			.contains("android:lockTaskMode")
			.contains("EventStreamService")
			.contains("android:usesCleartextTraffic(0x010104ec)=false")
			.contains("android:allowBackup(0x01010280)=false");
	}

	@Test
	public void itsDexHoldsTheAppsClasses() throws IOException {
		try (ZipFile zip = new ZipFile(this.apk)) {
			ZipEntry dex = zip.getEntry("classes.dex");
			assertThat(dex).isNotNull();
			String content = new String(read(zip.getInputStream(dex)).getBytes(StandardCharsets.ISO_8859_1),
					StandardCharsets.ISO_8859_1);
			assertThat(content).startsWith("dex\n");
			for (String type : new String[] { "GlassesActivity", "EventStreamService", "DeviceGrantClient", "AppBridge",
					"AdminReceiver", "BootReceiver" }) {
				assertThat(content).contains("Lnl/beeldzorg/glasses/" + type + ";");
			}
			assertThat(zip.getEntry("resources.arsc").getMethod()).as("resources.arsc stored uncompressed")
				.isEqualTo(ZipEntry.STORED);
		}
	}

	private static String read(InputStream in) throws IOException {
		try (InputStream input = in) {
			ByteArrayOutputStream out = new ByteArrayOutputStream();
			input.transferTo(out);
			return out.toString(StandardCharsets.ISO_8859_1);
		}
	}

}
