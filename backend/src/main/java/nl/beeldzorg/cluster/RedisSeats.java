package nl.beeldzorg.cluster;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import nl.beeldzorg.signalling.Admission;
import nl.beeldzorg.signalling.JoinRejectedException;
import nl.beeldzorg.signalling.SharedSeats;
import nl.beeldzorg.signalling.SignallingError;
import nl.beeldzorg.signalling.protocol.PeerInfo;
import nl.beeldzorg.system.BeeldzorgProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;

/**
 * The seats of signalling rooms in Redis. Per room a hash: {@code user:<userId>} → peer
 * id, {@code peer:<peerId>} → the peer as JSON, {@code node:<peerId>} → the node that
 * holds its connection. One sorted set over all rooms says until when each seat is kept
 * ({@code <roomId> <peerId>} scored by epoch milliseconds): a node renews the seats of
 * its connections to now + grace + renewal interval, so a node that dies leaves its peers
 * at least the grace to come back; a dropped connection sets now + grace. Every node
 * sweeps seats past their time; the sweep is one script, so each vacated seat goes to one
 * node, which tells the room. Scripts name keys they compute, so this wants one Redis (or
 * a primary with replicas), not Redis Cluster.
 */
@Component
@ConditionalOnExpression("!'${beeldzorg.redis.url:}'.isBlank()")
public class RedisSeats implements SharedSeats {

	private static final Logger logger = LoggerFactory.getLogger(RedisSeats.class);

	private static final Duration SWEEP_EVERY = Duration.ofMillis(500);

	private static final int SWEEP_BATCH = 200;

	private static final int RENEW_BATCH = 500;

	@SuppressWarnings("rawtypes")
	private static final RedisScript<List> TAKE = RedisScript.of("""
			local peer = redis.call('HGET', KEYS[1], 'user:' .. ARGV[1])
			local rejoin = '1'
			if not peer then
			  local seats = 0
			  for _, field in ipairs(redis.call('HKEYS', KEYS[1])) do
			    if string.sub(field, 1, 5) == 'peer:' then seats = seats + 1 end
			  end
			  if seats >= tonumber(ARGV[4]) then return {'full'} end
			  peer = ARGV[2]
			  rejoin = '0'
			  redis.call('HSET', KEYS[1], 'user:' .. ARGV[1], peer, 'peer:' .. peer, ARGV[3])
			end
			redis.call('HSET', KEYS[1], 'node:' .. peer, ARGV[7])
			local take = redis.call('HINCRBY', KEYS[1], 'takes:' .. peer, 1)
			redis.call('ZADD', KEYS[2], ARGV[5], ARGV[6] .. ' ' .. peer)
			local out = {peer, rejoin, tostring(take)}
			local all = redis.call('HGETALL', KEYS[1])
			local takes = {}
			for i = 1, #all, 2 do
			  if string.sub(all[i], 1, 6) == 'takes:' then takes[string.sub(all[i], 7)] = all[i + 1] end
			end
			for i = 1, #all, 2 do
			  if string.sub(all[i], 1, 5) == 'peer:' and all[i] ~= 'peer:' .. peer then
			    table.insert(out, all[i + 1])
			    table.insert(out, takes[string.sub(all[i], 6)] or '0')
			  end
			end
			return out
			""", List.class);

	private static final RedisScript<Long> AWAY = RedisScript.of("""
			if redis.call('HGET', KEYS[1], 'node:' .. ARGV[3]) == ARGV[4] then
			  redis.call('ZADD', KEYS[2], ARGV[1], ARGV[2])
			  return 1
			end
			return 0
			""", Long.class);

	private static final RedisScript<Long> RELEASE = RedisScript.of("""
			redis.call('ZREM', KEYS[2], ARGV[1])
			local info = redis.call('HGET', KEYS[1], 'peer:' .. ARGV[2])
			if info then
			  redis.call('HDEL', KEYS[1], 'peer:' .. ARGV[2], 'node:' .. ARGV[2], 'takes:' .. ARGV[2],
			    'user:' .. cjson.decode(info).userId)
			  return 1
			end
			return 0
			""", Long.class);

	private static final RedisScript<Long> CLOSE = RedisScript.of("""
			for _, field in ipairs(redis.call('HKEYS', KEYS[1])) do
			  if string.sub(field, 1, 5) == 'peer:' then
			    redis.call('ZREM', KEYS[2], ARGV[1] .. ' ' .. string.sub(field, 6))
			  end
			end
			return redis.call('DEL', KEYS[1])
			""", Long.class);

	@SuppressWarnings("rawtypes")
	private static final RedisScript<List> SWEEP = RedisScript.of(
			"""
					local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
					local out = {}
					for _, member in ipairs(due) do
					  redis.call('ZREM', KEYS[1], member)
					  local space = string.find(member, ' ', 1, true)
					  local room = string.sub(member, 1, space - 1)
					  local peer = string.sub(member, space + 1)
					  local key = ARGV[3] .. room
					  local info = redis.call('HGET', key, 'peer:' .. peer)
					  if info then
					    redis.call('HDEL', key, 'peer:' .. peer, 'node:' .. peer, 'takes:' .. peer, 'user:' .. cjson.decode(info).userId)
					    table.insert(out, room)
					    table.insert(out, info)
					  end
					end
					return out
					""",
			List.class);

	/** Renews the seats this node still holds; answers those it no longer does. */
	@SuppressWarnings("rawtypes")
	private static final RedisScript<List> RENEW = RedisScript.of("""
			local lost = {}
			for i = 4, #ARGV do
			  local member = ARGV[i]
			  local space = string.find(member, ' ', 1, true)
			  local key = ARGV[3] .. string.sub(member, 1, space - 1)
			  if redis.call('HGET', key, 'node:' .. string.sub(member, space + 1)) == ARGV[2] then
			    redis.call('ZADD', KEYS[1], ARGV[1], member)
			  else
			    table.insert(lost, member)
			  end
			end
			return lost
			""", List.class);

	private final ReactiveStringRedisTemplate redis;

	private final JsonMapper json;

	private final String node;

	private final String roomPrefix;

	private final String expiries;

	private final Duration grace;

	private final Duration renewEvery;

	/** The seats of this node's connections, {@code <roomId> <peerId>}. */
	private final Set<String> held = ConcurrentHashMap.newKeySet();

	private final Clock clock = Clock.systemUTC();

	RedisSeats(ReactiveStringRedisTemplate redis, JsonMapper json, NodeId node, RedisProperties redisProperties,
			BeeldzorgProperties properties) {
		this.redis = redis;
		this.json = json;
		this.node = node.value();
		this.roomPrefix = redisProperties.keyPrefix() + "signalling:seats:";
		this.expiries = redisProperties.keyPrefix() + "signalling:seats-until";
		this.grace = properties.signalling().reconnectGrace();
		Duration third = this.grace.dividedBy(3);
		this.renewEvery = (third.compareTo(Duration.ofSeconds(1)) < 0) ? Duration.ofSeconds(1)
				: (third.compareTo(Duration.ofSeconds(10)) > 0) ? Duration.ofSeconds(10) : third;
	}

	@Override
	public Mono<Seating> take(Admission admission, String newPeerId, int maxPeers) {
		String info = this.json
			.writeValueAsString(new PeerInfo(newPeerId, admission.userId(), admission.name(), admission.discipline()));
		List<String> args = List.of(admission.userId(), newPeerId, info, Integer.toString(maxPeers),
				Long.toString(heldUntil()), admission.roomId(), this.node);
		return strings(this.redis.execute(TAKE, List.of(room(admission.roomId()), this.expiries), args))
			.flatMap((out) -> {
				if (out.isEmpty() || "full".equals(out.get(0))) {
					return Mono.error(
							new JoinRejectedException(SignallingError.ROOM_FULL, SignallingError.ROOM_FULL.message()));
				}
				List<PeerInfo> others = new ArrayList<>((out.size() - 3) / 2);
				Map<String, Long> takes = new HashMap<>();
				for (int i = 3; i + 1 < out.size(); i += 2) {
					PeerInfo other = this.json.readValue(out.get(i), PeerInfo.class);
					others.add(other);
					takes.put(other.peerId(), Long.parseLong(out.get(i + 1)));
				}
				this.held.add(member(admission.roomId(), out.get(0)));
				return Mono
					.just(new Seating(out.get(0), "1".equals(out.get(1)), others, Long.parseLong(out.get(2)), takes));
			});
	}

	@Override
	public Mono<Void> away(String roomId, String peerId) {
		String member = member(roomId, peerId);
		this.held.remove(member);
		long until = this.clock.millis() + this.grace.toMillis();
		return this.redis
			.execute(AWAY, List.of(room(roomId), this.expiries),
					List.of(Long.toString(until), member, peerId, this.node))
			.then();
	}

	@Override
	public Mono<Void> release(String roomId, String peerId) {
		String member = member(roomId, peerId);
		this.held.remove(member);
		return this.redis.execute(RELEASE, List.of(room(roomId), this.expiries), List.of(member, peerId)).then();
	}

	@Override
	public Mono<Void> closeRoom(String roomId) {
		this.held.removeIf((member) -> member.startsWith(roomId + " "));
		return this.redis.execute(CLOSE, List.of(room(roomId), this.expiries), List.of(roomId)).then();
	}

	@Override
	public Flux<Vacated> vacated() {
		long renewTicks = Math.max(1, this.renewEvery.toMillis() / SWEEP_EVERY.toMillis());
		return Flux.interval(SWEEP_EVERY, SWEEP_EVERY, Schedulers.parallel())
			.onBackpressureDrop()
			.concatMap((tick) -> ((tick % renewTicks == 0) ? renew() : Mono.<Void>empty()).thenMany(sweep())
				.onErrorResume((ex) -> {
					logger.warn("Keeping signalling seats in Redis failed; the next round retries: {}", ex.toString());
					return Flux.empty();
				}), 1);
	}

	private Flux<Vacated> sweep() {
		List<String> args = List.of(Long.toString(this.clock.millis()), Integer.toString(SWEEP_BATCH), this.roomPrefix);
		return strings(this.redis.execute(SWEEP, List.of(this.expiries), args)).flatMapIterable((out) -> {
			List<Vacated> vacated = new ArrayList<>(out.size() / 2);
			for (int i = 0; i + 1 < out.size(); i += 2) {
				vacated.add(new Vacated(out.get(i), this.json.readValue(out.get(i + 1), PeerInfo.class)));
			}
			if (!vacated.isEmpty()) {
				logger.debug("Seats whose grace ran out: {}", vacated);
			}
			return vacated;
		});
	}

	private Mono<Void> renew() {
		List<String> members = List.copyOf(this.held);
		if (members.isEmpty()) {
			return Mono.empty();
		}
		String until = Long.toString(heldUntil());
		return Flux.range(0, (members.size() + RENEW_BATCH - 1) / RENEW_BATCH).concatMap((batch) -> {
			List<String> args = new ArrayList<>(RENEW_BATCH + 3);
			args.add(until);
			args.add(this.node);
			args.add(this.roomPrefix);
			args.addAll(members.subList(batch * RENEW_BATCH, Math.min(members.size(), (batch + 1) * RENEW_BATCH)));
			return strings(this.redis.execute(RENEW, List.of(this.expiries), args));
		}).doOnNext(this.held::removeAll).then();
	}

	private long heldUntil() {
		return this.clock.millis() + this.grace.toMillis() + this.renewEvery.toMillis();
	}

	private String room(String roomId) {
		return this.roomPrefix + roomId;
	}

	private static String member(String roomId, String peerId) {
		return roomId + " " + peerId;
	}

	/** A script's list answer, whether the driver hands it over whole or item by item. */
	private static Mono<List<String>> strings(Flux<?> answer) {
		return answer.<String>flatMapIterable((item) -> {
			if (!(item instanceof List<?> items)) {
				return List.of(String.valueOf(item));
			}
			List<String> strings = new ArrayList<>(items.size());
			for (Object each : items) {
				strings.add(String.valueOf(each));
			}
			return strings;
		}).collectList();
	}

}
