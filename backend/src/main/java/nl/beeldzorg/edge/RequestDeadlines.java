package nl.beeldzorg.edge;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.ScheduledFuture;
import nl.beeldzorg.system.ErrorCode;
import org.jspecify.annotations.Nullable;
import reactor.netty.NettyPipeline;

/**
 * Cuts off a connection whose request does not arrive in time. Three deadlines, all on
 * the connection's event loop:
 * <ul>
 * <li>the request head (line and headers) within {@code request-header-timeout} of
 * connecting, or of the end of the previous response on a kept-alive connection: a
 * slowloris dribbling a byte at a time resets an idle timeout forever, not this;</li>
 * <li>a request body with no pause longer than {@code request-read-timeout};</li>
 * <li>and the whole body within {@code request-timeout}.</li>
 * </ul>
 * Expired with part of a request received and no response begun: {@code 408} and close;
 * expired on an idle kept-alive connection: close without a word (a browser simply
 * reconnects). A WebSocket upgrade ends all three for good; responses (an event stream)
 * take as long as they take. Reactor Netty's own {@code readTimeout} and
 * {@code requestTimeout} are not used: they stay armed on a connection upgraded to a
 * WebSocket and close it.
 */
final class RequestDeadlines extends ChannelDuplexHandler {

	static final String NAME = "beeldzorg.requestDeadlines";

	static final String WATCHER_NAME = "beeldzorg.requestBytesWatcher";

	private static final byte[] HEAD_TIMEOUT = problem(
			"The request line and headers did not arrive in time (beeldzorg.connections.request-header-timeout)");

	private static final byte[] BODY_TIMEOUT = problem(
			"The request body paused or took too long (beeldzorg.connections.request-read-timeout, request-timeout)");

	private final ConnectionProperties limits;

	private @Nullable ScheduledFuture<?> headDeadline;

	private @Nullable ScheduledFuture<?> bodyIdle;

	private @Nullable ScheduledFuture<?> bodyDeadline;

	/** Request heads read whose response has not ended yet. */
	private int openRequests;

	private boolean readingBody;

	private boolean responseStarted;

	/** Whether the response being written is a 1xx (100 Continue), not the real one. */
	private boolean informational;

	/** Upgraded to a WebSocket, or already timed out: no more deadlines. */
	private boolean done;

	/** Whether any byte arrived since the head deadline was armed. */
	private boolean bytesSeen;

	private RequestDeadlines(ConnectionProperties limits) {
		this.limits = limits;
	}

	/**
	 * Adds the deadlines behind the HTTP codec of a new server connection, and a watcher
	 * of raw bytes in front of it.
	 * @param channel the connection
	 * @param limits the timeouts
	 */
	static void install(Channel channel, ConnectionProperties limits) {
		ChannelPipeline pipeline = channel.pipeline();
		if (pipeline.get(NettyPipeline.HttpCodec) == null || pipeline.get(NAME) != null) {
			return;
		}
		RequestDeadlines deadlines = new RequestDeadlines(limits);
		pipeline.addAfter(NettyPipeline.HttpCodec, NAME, deadlines);
		pipeline.addBefore(NettyPipeline.HttpCodec, WATCHER_NAME, new ChannelInboundHandlerAdapter() {
			@Override
			public void channelRead(ChannelHandlerContext ctx, Object msg) {
				if (msg instanceof ByteBuf buffer && buffer.isReadable()) {
					deadlines.bytesSeen = true;
				}
				ctx.fireChannelRead(msg);
			}
		});
	}

	@Override
	public void handlerAdded(ChannelHandlerContext ctx) {
		if (ctx.channel().isActive()) {
			armHead(ctx);
		}
	}

	@Override
	public void channelActive(ChannelHandlerContext ctx) throws Exception {
		armHead(ctx);
		super.channelActive(ctx);
	}

	@Override
	public void channelInactive(ChannelHandlerContext ctx) throws Exception {
		cancelAll();
		super.channelInactive(ctx);
	}

	@Override
	public void handlerRemoved(ChannelHandlerContext ctx) {
		cancelAll();
	}

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
		if (!this.done) {
			if (msg instanceof HttpRequest) {
				this.openRequests++;
				this.responseStarted = false;
				this.headDeadline = cancel(this.headDeadline);
				if (!(msg instanceof LastHttpContent)) {
					this.readingBody = true;
					this.bodyDeadline = schedule(ctx, this.limits.requestTimeout().toNanos());
				}
			}
			if (msg instanceof HttpContent && this.readingBody) {
				this.bodyIdle = cancel(this.bodyIdle);
				if (msg instanceof LastHttpContent) {
					this.readingBody = false;
					this.bodyDeadline = cancel(this.bodyDeadline);
				}
				else {
					this.bodyIdle = schedule(ctx, this.limits.requestReadTimeout().toNanos());
				}
			}
			else if (msg instanceof HttpRequest && this.readingBody) {
				this.bodyIdle = schedule(ctx, this.limits.requestReadTimeout().toNanos());
			}
		}
		super.channelRead(ctx, msg);
	}

	@Override
	public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
		if (msg instanceof HttpResponse response && !this.done) {
			HttpResponseStatus status = response.status();
			this.informational = status.codeClass() == HttpStatusClass.INFORMATIONAL;
			this.responseStarted = !this.informational;
			if (status.code() == HttpResponseStatus.SWITCHING_PROTOCOLS.code()) {
				this.done = true;
				cancelAll();
			}
		}
		if (msg instanceof LastHttpContent && !this.informational && !this.done) {
			ChannelPromise written = promise.unvoid();
			written.addListener((future) -> {
				this.openRequests = Math.max(0, this.openRequests - 1);
				if (this.openRequests == 0 && ctx.channel().isActive()) {
					armHead(ctx);
				}
			});
			super.write(ctx, msg, written);
			return;
		}
		super.write(ctx, msg, promise);
	}

	private void armHead(ChannelHandlerContext ctx) {
		this.headDeadline = cancel(this.headDeadline);
		if (this.done) {
			return;
		}
		this.bytesSeen = false;
		this.headDeadline = schedule(ctx, this.limits.requestHeaderTimeout().toNanos());
	}

	private ScheduledFuture<?> schedule(ChannelHandlerContext ctx, long nanos) {
		return ctx.executor().schedule(() -> expired(ctx), nanos, TimeUnit.NANOSECONDS);
	}

	private void expired(ChannelHandlerContext ctx) {
		if (this.done || !ctx.channel().isActive()) {
			return;
		}
		boolean waitingForHead = this.openRequests == 0;
		if (!waitingForHead && !this.readingBody) {
			return;
		}
		this.done = true;
		cancelAll();
		if ((waitingForHead && !this.bytesSeen) || this.responseStarted) {
			ctx.close();
			return;
		}
		DefaultFullHttpResponse timeout = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
				HttpResponseStatus.REQUEST_TIMEOUT,
				Unpooled.wrappedBuffer(waitingForHead ? HEAD_TIMEOUT : BODY_TIMEOUT));
		timeout.headers()
			.set(HttpHeaderNames.CONTENT_TYPE, "application/problem+json")
			.set(HttpHeaderNames.CONTENT_LENGTH, timeout.content().readableBytes())
			.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
		ctx.writeAndFlush(timeout).addListener(ChannelFutureListener.CLOSE);
	}

	/** RFC 9457 problem details, as {@code ApiException.problem} writes them. */
	private static byte[] problem(String detail) {
		ErrorCode code = ErrorCode.REQUEST_TIMEOUT;
		return ("{\"type\":\"urn:beeldzorg:problem:" + code.code() + "\",\"title\":\"" + code.title() + "\",\"status\":"
				+ code.status().value() + ",\"detail\":\"" + detail + "\",\"code\":\"" + code.code() + "\"}")
			.getBytes(StandardCharsets.UTF_8);
	}

	private void cancelAll() {
		this.headDeadline = cancel(this.headDeadline);
		this.bodyIdle = cancel(this.bodyIdle);
		this.bodyDeadline = cancel(this.bodyDeadline);
	}

	private static @Nullable ScheduledFuture<?> cancel(@Nullable ScheduledFuture<?> future) {
		if (future != null) {
			future.cancel(false);
		}
		return null;
	}

}
