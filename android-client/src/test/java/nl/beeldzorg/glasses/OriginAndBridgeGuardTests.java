package nl.beeldzorg.glasses;

import org.junit.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

public class OriginAndBridgeGuardTests {

	private final Origin backend = Origin.of("https://zorg.example.nl");

	@Test
	public void theBackendsOwnPagesMatch() {
		assertThat(this.backend.matches("https://zorg.example.nl/glasses/")).isTrue();
		assertThat(this.backend.matches("https://ZORG.example.nl:443/glasses/?consult=1#x")).isTrue();
		assertThat(this.backend.matches("https://zorg.example.nl")).isTrue();
		assertThat(this.backend.resolve("/glasses/")).isEqualTo("https://zorg.example.nl/glasses/");
	}

	@Test
	public void lookalikesDoNotMatch() {
		assertThat(this.backend.matches("http://zorg.example.nl/glasses/")).isFalse();
		assertThat(this.backend.matches("https://zorg.example.nl:8443/glasses/")).isFalse();
		assertThat(this.backend.matches("https://zorg.example.nl.evil.example/glasses/")).isFalse();
		assertThat(this.backend.matches("https://zorg.example.nl@evil.example/glasses/")).isFalse();
		assertThat(this.backend.matches("https://evil.example/?next=https://zorg.example.nl/")).isFalse();
		assertThat(this.backend.matches("https://sub.zorg.example.nl/")).isFalse();
		assertThat(this.backend.matches("file:///android_asset/glasses/")).isFalse();
		assertThat(this.backend.matches("data:text/html,<script>1</script>")).isFalse();
		assertThat(this.backend.matches("about:blank")).isFalse();
		assertThat(this.backend.matches("null")).isFalse();
		assertThat(this.backend.matches("")).isFalse();
		assertThat(this.backend.matches(null)).isFalse();
	}

	@Test
	public void onlyHttpsOrThisDeviceIsAccepted() {
		assertThatIllegalArgumentException().isThrownBy(() -> Origin.of("http://zorg.example.nl"));
		assertThatIllegalArgumentException().isThrownBy(() -> Origin.of("zorg.example.nl"));
		assertThatIllegalArgumentException().isThrownBy(() -> Origin.of("https://user@zorg.example.nl"));
		assertThat(Origin.of("http://127.0.0.1:8080").toString()).isEqualTo("http://127.0.0.1:8080");
		assertThat(Origin.of("https://zorg.example.nl:443/").toString()).isEqualTo("https://zorg.example.nl");
	}

	@Test
	public void theBridgeAnswersOnlyThePageOfTheBackend() {
		BridgeGuard guard = new BridgeGuard(this.backend);
		assertThat(guard.allowed()).as("before any page").isFalse();
		guard.pageShown("https://zorg.example.nl/glasses/");
		assertThat(guard.allowed()).isTrue();
		guard.check();
		guard.pageShown("https://evil.example/");
		assertThat(guard.allowed()).isFalse();
		assertThatThrownBy(guard::check).isInstanceOf(SecurityException.class);
		guard.pageShown("https://zorg.example.nl.evil.example/glasses/");
		assertThat(guard.allowed()).isFalse();
	}

	@Test
	public void cameraAndMicrophoneOnlyForTheBackend() {
		PermissionPolicy policy = new PermissionPolicy(this.backend);
		String[] both = { PermissionPolicy.VIDEO_CAPTURE, PermissionPolicy.AUDIO_CAPTURE };
		assertThat(policy.grantable("https://zorg.example.nl/", both)).containsExactly(both);
		assertThat(policy.grantable("https://evil.example/", both)).isEmpty();
		assertThat(policy.grantable("https://zorg.example.nl/",
				new String[] { "android.webkit.resource.PROTECTED_MEDIA_ID", PermissionPolicy.AUDIO_CAPTURE }))
			.containsExactly(PermissionPolicy.AUDIO_CAPTURE);
		assertThat(policy.grantable("https://zorg.example.nl/", new String[] { "android.webkit.resource.MIDI_SYSEX" }))
			.isEmpty();
		assertThat(policy.mayNavigate("https://zorg.example.nl/demo/device")).isTrue();
		assertThat(policy.mayNavigate("https://evil.example/")).isFalse();
	}

}
