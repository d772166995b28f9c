package nl.beeldzorg.media;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

import nl.beeldzorg.signalling.protocol.SignalMessage;
import org.jspecify.annotations.Nullable;

/**
 * One party's media in one consult, as {@code GET /api/v1/consults/{id}/media} shows it.
 *
 * @param userId the party
 * @param firstReportedAt its first media-state
 * @param firstConnectedAt when its media first connected
 * @param secondsToMedia from its first join of the room to that moment
 * @param state its last state
 * @param stateAt since when
 * @param reconnections times its media came back after a drop
 * @param disconnections {@code disconnected} reports
 * @param failures {@code failed} reports
 * @param samples stats samples kept
 * @param last the last stats it sent
 * @param median the median of each figure over the kept samples
 * @param relayUsed whether its media went through a TURN relay at some point
 */
public record PartyMedia(String userId, Instant firstReportedAt, @Nullable Instant firstConnectedAt,
		@Nullable Double secondsToMedia, String state, Instant stateAt, int reconnections, int disconnections,
		int failures, int samples, Figures last, Figures median, boolean relayUsed) {

	static PartyMedia of(MediaRepository.Party p, List<SignalMessage.MediaStats> samples) {
		SignalMessage.MediaStats l = p.last;
		Figures last = new Figures(l.rttMs(), l.lossPct(), l.kbpsIn(), l.kbpsOut(), l.width(), l.height());
		Figures median = new Figures(median(samples, SignalMessage.MediaStats::rttMs),
				median(samples, SignalMessage.MediaStats::lossPct), median(samples, SignalMessage.MediaStats::kbpsIn),
				median(samples, SignalMessage.MediaStats::kbpsOut), integer(median(samples, (s) -> number(s.width()))),
				integer(median(samples, (s) -> number(s.height()))));
		return new PartyMedia(p.userId, p.firstReportedAt, p.firstConnectedAt,
				(p.millisToMedia != null) ? p.millisToMedia / 1000.0 : null, p.state, p.stateAt, p.reconnections,
				p.disconnections, p.failures, p.samples, last, median, p.relayUsed);
	}

	private static @Nullable Double median(List<SignalMessage.MediaStats> samples,
			Function<SignalMessage.MediaStats, @Nullable Double> figure) {
		List<Double> values = samples.stream().map(figure).filter(Objects::nonNull).sorted().toList();
		if (values.isEmpty()) {
			return null;
		}
		int n = values.size();
		return (n % 2 == 1) ? values.get(n / 2) : (values.get(n / 2 - 1) + values.get(n / 2)) / 2;
	}

	private static @Nullable Double number(@Nullable Integer value) {
		return (value != null) ? value.doubleValue() : null;
	}

	private static @Nullable Integer integer(@Nullable Double value) {
		return (value != null) ? (int) Math.round(value) : null;
	}

	/**
	 * The figures of a stats report (API.md v1.1), or their medians.
	 *
	 * @param rttMs round trip, ms
	 * @param lossPct inbound loss, percent
	 * @param kbpsIn received kbit/s
	 * @param kbpsOut sent kbit/s
	 * @param width received video width
	 * @param height received video height
	 */
	public record Figures(@Nullable Double rttMs, @Nullable Double lossPct, @Nullable Double kbpsIn,
			@Nullable Double kbpsOut, @Nullable Integer width, @Nullable Integer height) {
	}

}
