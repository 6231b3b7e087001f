"""The event bus over Litestar channels: the API's WebSocket stream subscribes through a
ChannelsPlugin, and anything in any process publishes through the same kind of backend."""
