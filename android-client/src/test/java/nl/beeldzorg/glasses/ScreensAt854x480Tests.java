package nl.beeldzorg.glasses;

import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

import android.content.Context;
import android.graphics.Bitmap;
import android.graphics.Canvas;
import android.graphics.Rect;
import android.net.ConnectivityManager;
import android.os.Looper;
import android.view.View;
import android.view.ViewGroup;
import android.widget.TextView;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.robolectric.Robolectric;
import org.robolectric.RobolectricTestRunner;
import org.robolectric.RuntimeEnvironment;
import org.robolectric.annotation.Config;
import org.robolectric.annotation.GraphicsMode;
import org.robolectric.shadow.api.Shadow;
import org.robolectric.shadows.ShadowConnectivityManager;
import org.robolectric.shadows.ShadowLooper;

import static nl.beeldzorg.glasses.FakeBackend.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The native screens drawn at RealWear's 854x480 (Robolectric's native graphics): every
 * text inside the screen and not cut off; the pictures land in target/screenshots.
 */
@RunWith(RobolectricTestRunner.class)
@Config(qualifiers = "w854dp-h480dp-land-mdpi")
@GraphicsMode(GraphicsMode.Mode.NATIVE)
public class ScreensAt854x480Tests {

	private final TokenStore store = new TokenStore.InMemory();

	@Before
	public void useTestTokenStore() {
		Beeldzorg.reset();
		Beeldzorg.tokenStoreOverride = this.store;
	}

	@After
	public void forgetTestTokenStore() {
		Beeldzorg.tokenStoreOverride = null;
		Beeldzorg.reset();
	}

	@Test
	public void signInScreen() throws Exception {
		try (FakeBackend backend = new FakeBackend().withDemoIssuer()) {
			backend.on("/demo/oauth/device", json(200,
					"{\"device_code\":\"dc-1\",\"user_code\":\"BCDF-GHJK\",\"verification_uri\":\"https://zorg.example.nl/demo/device\","
							+ "\"verification_uri_complete\":\"https://zorg.example.nl/demo/device?user_code=BCDF-GHJK\","
							+ "\"expires_in\":600,\"interval\":600}"));
			android.os.Bundle managed = new android.os.Bundle();
			managed.putString("backend", backend.origin().toString());
			((org.robolectric.shadows.ShadowRestrictionsManager) Shadow
				.extract(RuntimeEnvironment.getApplication().getSystemService(Context.RESTRICTIONS_SERVICE)))
				.setApplicationRestrictions(managed);
			GlassesActivity activity = Robolectric.buildActivity(GlassesActivity.class).setup().get();
			long deadline = System.currentTimeMillis() + 10_000;
			while (!GlassesActivityTests.texts(activity.findViewById(android.R.id.content)).contains("BCDF-GHJK")
					&& System.currentTimeMillis() < deadline) {
				((ShadowLooper) Shadow.extract(Looper.getMainLooper())).idle();
				Thread.sleep(20);
			}
			assertThat(GlassesActivityTests.texts(activity.findViewById(android.R.id.content))).contains("BCDF-GHJK");
			checkAndDraw(activity, "android-signin");
		}
	}

	@Test
	public void offlineScreen() throws IOException {
		this.store.save(new Tokens("at-1", null, System.currentTimeMillis() + 3_600_000, "https://x/oauth/token", "c"));
		((ShadowConnectivityManager) Shadow
			.extract(RuntimeEnvironment.getApplication().getSystemService(Context.CONNECTIVITY_SERVICE)))
			.setActiveNetworkInfo(null);
		GlassesActivity activity = Robolectric.buildActivity(GlassesActivity.class).setup().get();
		checkAndDraw(activity, "android-offline");
	}

	private static void checkAndDraw(GlassesActivity activity, String name) throws IOException {
		View root = activity.getWindow().getDecorView();
		root.measure(View.MeasureSpec.makeMeasureSpec(854, View.MeasureSpec.EXACTLY),
				View.MeasureSpec.makeMeasureSpec(480, View.MeasureSpec.EXACTLY));
		root.layout(0, 0, 854, 480);
		List<View> all = new ArrayList<>();
		collect(root, all);
		Rect screen = new Rect(0, 0, 854, 480);
		for (View view : all) {
			if (view instanceof TextView && view.getVisibility() == View.VISIBLE) {
				TextView text = (TextView) view;
				Rect bounds = new Rect();
				assertThat(view.getGlobalVisibleRect(bounds)).as("visible: " + text.getText()).isTrue();
				assertThat(screen.contains(bounds)).as("inside 854x480: " + text.getText() + " " + bounds).isTrue();
				assertThat(text.getLayout().getEllipsisCount(text.getLineCount() - 1)).isZero();
				assertThat(text.getLayout().getHeight()).as("not cut off: " + text.getText())
					.isLessThanOrEqualTo(
							text.getHeight() - text.getCompoundPaddingTop() - text.getCompoundPaddingBottom());
			}
		}
		Bitmap bitmap = Bitmap.createBitmap(854, 480, Bitmap.Config.ARGB_8888);
		root.draw(new Canvas(bitmap));
		File directory = new File("target/screenshots");
		directory.mkdirs();
		try (OutputStream out = new FileOutputStream(new File(directory, name + "-854x480.png"))) {
			bitmap.compress(Bitmap.CompressFormat.PNG, 100, out);
		}
	}

	private static void collect(View view, List<View> into) {
		into.add(view);
		if (view instanceof ViewGroup) {
			for (int i = 0; i < ((ViewGroup) view).getChildCount(); i++) {
				collect(((ViewGroup) view).getChildAt(i), into);
			}
		}
	}

}
