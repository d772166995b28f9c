package nl.beeldzorg.glasses;

import java.util.ArrayList;
import java.util.List;

import org.junit.Test;

import static org.assertj.core.api.Assertions.assertThat;

public class SseParserTests {

	@Test
	public void readsNamedEventsCommentsAndMultiLineData() {
		List<String> events = new ArrayList<>();
		SseParser parser = new SseParser((name, data) -> events.add(name + "=" + data));
		for (String line : new String[] { ": keep-alive", "", "event: consult.ringing", "data: {\"id\":\"c1\"}", "",
				"data:a", "data: b", "", "event:x", "" }) {
			parser.line(line);
		}
		assertThat(events).containsExactly("consult.ringing={\"id\":\"c1\"}", "message=a\nb");
	}

}
