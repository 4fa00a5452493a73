"""pygls' protocol with the gaps that would hurt users filled in.

pygls 2.1.1, measured on this project:

- A request whose params do not fit the method's type, or a request without
  params to a method pygls does not know, fails while the message is decoded;
  pygls logs it and never answers, so the client waits forever. Here such a
  request gets an error response (MethodNotFound or InvalidParams), a bad
  notification is logged and dropped, and a client's malformed *response*
  fails the server's pending request instead of leaving it hanging. A message
  without ``"jsonrpc": "2.0"`` crashed pygls' dispatch (the user saw "Error in
  server"); here a request gets InvalidRequest and anything else is dropped.
- pygls logged a full traceback on stderr for every request whose params it
  could not decode (a position with line -5), though the request is answered
  -32602; here one line says what was wrong.
- pygls keeps the future of every notification it handles (each ``didChange``)
  in its table of pending requests and never removes it: memory grew with
  every keystroke. Here a notification's entry goes when its handler ends.
- ``didChange`` for a document that was never opened raises KeyError, which
  pygls shows to the user. Here document text is kept by the server itself
  (see ``lsp_text``), which ignores such a change with a log line: the
  built-in open/change/close handlers only hand the notification on and do
  not maintain pygls' workspace documents.
- pygls named every notification with ``uuid4()`` (twice for open, change and
  close, whose built-in handlers were generators): an ``os.urandom`` call, which
  gives up the GIL and, under an edit burst with lints running, waited a switch
  interval or more to get it back, per keystroke. Here notifications are
  numbered, open/change/close are handed on directly, and a finished
  notification's entry is dropped with ``call_soon`` (no wake-up write to the
  loop's self-pipe) when it finishes on the loop.
"""

from __future__ import annotations

import asyncio
import contextvars
import inspect
import logging
import threading
from dataclasses import dataclass
from typing import Any

from lsprotocol import types
from lsprotocol.types import ResponseErrorMessage
from cattrs.errors import ClassValidationError
from pygls.exceptions import (
    FeatureNotificationError,
    JsonRpcException,
    JsonRpcInternalError,
    JsonRpcInvalidParams,
    JsonRpcInvalidRequest,
    JsonRpcMethodNotFound,
)
from pygls.protocol import (
    JsonRPCNotification,
    JsonRPCRequestMessage,
    JsonRPCResponseMessage,
    LanguageServerProtocol,
    lsp_method,
)

logger = logging.getLogger(__name__)


@dataclass
class UndecodableMessage:
    """A message pygls could not turn into its typed form."""

    data: dict
    error: JsonRpcException


class PerflintProtocol(LanguageServerProtocol):
    _notifications = 0  # notifications handled: their ids

    def structure_message(self, data: dict[str, Any]):
        """The typed form of one message (json's object hook: called for every object in it)."""
        if "jsonrpc" not in data:
            return data
        try:
            return self._converter.structure(data, self._message_type(data))
        except ClassValidationError as error:
            return UndecodableMessage(data, JsonRpcInvalidParams(message=_reasons(error)))
        except Exception as error:  # the converter's own failure: say what, without a traceback
            return UndecodableMessage(data, JsonRpcInternalError(message=f"{type(error).__name__}: {error}"))

    def _execute_handler(self, msg_id, handler, callback, args=None, kwargs=None):
        if callback == self._check_handler_result:  # a notification: nobody will pop its entry
            try:
                loop = asyncio.get_running_loop()
            except RuntimeError:
                loop = None
            loop_thread = threading.get_ident()

            def finished(future, msg_id=msg_id, check=callback) -> None:
                # On the loop, never at once: ``shutdown`` cancels pending futures while it
                # iterates the table, and a cancelled future calls this right away.
                if loop is not None and not loop.is_closed():
                    if threading.get_ident() == loop_thread:
                        loop.call_soon(self._request_futures.pop, msg_id, None)
                    else:
                        loop.call_soon_threadsafe(self._request_futures.pop, msg_id, None)
                check(future)

            callback = finished
        return super()._execute_handler(msg_id, handler, callback, args, kwargs)

    def _handle_notification(self, method_name: str, params: Any):
        """pygls' handling of a notification, with a counter for its id instead of ``uuid4()``."""
        if method_name == types.CANCEL_REQUEST:
            self._handle_cancel_notification(params.id)
            return
        try:
            handler = self._get_handler(method_name)
        except JsonRpcMethodNotFound:
            logger.warning("Ignoring notification for unknown method %r", method_name)
            return
        self._notifications += 1
        try:
            self._execute_handler(
                msg_id=f"notification-{self._notifications}",
                handler=handler,
                args=(params,),
                callback=self._check_handler_result,
            )
        except Exception as error:
            logger.exception("Failed to handle notification %r", method_name)
            self._server._report_server_error(error, FeatureNotificationError)

    def _message_type(self, data: dict[str, Any]) -> type:
        if "id" not in data:
            return self.get_message_type(data.get("method", "")) or JsonRPCNotification
        if "error" in data:
            return ResponseErrorMessage
        if "method" in data:
            return self.get_message_type(data["method"]) or JsonRPCRequestMessage
        return self._result_types.pop(data["id"], None) or JsonRPCResponseMessage

    def handle_message(self, message):
        if isinstance(message, UndecodableMessage):
            self._handle_undecodable(message)
            return
        if isinstance(message, dict):  # no "jsonrpc" member: not a JSON-RPC message at all
            if "id" in message and "method" in message:
                error = JsonRpcInvalidRequest(message="Invalid Request: not a JSON-RPC 2.0 message")
                self._send_response(message["id"], None, error.to_response_error())
            logger.warning("Dropped a message that is not JSON-RPC 2.0: %.200r", message)
            return
        self._dispatch(message)

    def _dispatch(self, message) -> None:
        """pygls' ``handle_message``, telling requests, notifications and responses apart by
        their attributes: pygls asks ``isinstance`` of runtime-checkable Protocols, about a
        third of the event loop's time per ``didChange`` (measured: 2,389 edits, 0.26 of 0.87 s)."""
        if message.jsonrpc != self.VERSION:
            logger.warning("Unknown message %r", message)
            return
        method = getattr(message, "method", None)
        if self._shutdown and method != types.EXIT:
            logger.warning("Server shutting down. No more requests!")
            return
        context = contextvars.copy_context()  # each handler in its own context, as pygls runs them
        if method is not None and hasattr(message, "params"):
            if hasattr(message, "id"):
                context.run(self._handle_request, message.id, method, message.params)
            else:
                context.run(self._handle_notification, method, message.params)
        elif hasattr(message, "result"):
            context.run(self._handle_response, message.id, message.result)
        else:
            context.run(self._handle_response, message.id, None, message.error)

    def _handle_undecodable(self, message: UndecodableMessage) -> None:
        data = message.data
        method = data.get("method")
        if "id" not in data:
            logger.warning("Dropped notification %r with invalid params: %s", method, message.error)
            return
        if method is None:  # a response from the client that does not fit the request's result type
            future = self._request_futures.pop(data["id"], None)
            self._result_types.pop(data["id"], None)
            if future is not None and not future.done():
                future.set_exception(message.error)
            logger.warning("Client sent an invalid response to request %r: %s", data["id"], message.error)
            return
        if method not in self.fm.features and method not in self.fm.builtin_features:
            error: JsonRpcException = JsonRpcMethodNotFound.of(method)
        else:
            error = JsonRpcInvalidParams(message=f"Invalid params for {method}: {message.error.message}")
        logger.warning("Rejected request %r: %s", method, error.message)
        self._send_response(data["id"], None, error.to_response_error())

    # --- documents are kept by the server (lsp_text.DocumentText) -------------------

    # Plain functions, not pygls' generators: the server's handlers for these are plain
    # functions too, called here directly (no second handler round, no id for it).

    @lsp_method(types.TEXT_DOCUMENT_DID_OPEN)
    def lsp_text_document__did_open(self, params: types.DidOpenTextDocumentParams):
        self._hand_on(types.TEXT_DOCUMENT_DID_OPEN, params)

    @lsp_method(types.TEXT_DOCUMENT_DID_CHANGE)
    def lsp_text_document__did_change(self, params: types.DidChangeTextDocumentParams):
        self._hand_on(types.TEXT_DOCUMENT_DID_CHANGE, params)

    @lsp_method(types.TEXT_DOCUMENT_DID_CLOSE)
    def lsp_text_document__did_close(self, params: types.DidCloseTextDocumentParams):
        self._hand_on(types.TEXT_DOCUMENT_DID_CLOSE, params)

    def _hand_on(self, method: str, params: Any) -> None:
        handler = self.fm.features.get(method)
        if handler is None:
            return
        result = handler(params)
        if inspect.isawaitable(result):  # an async handler (not the server's own): run it as pygls would
            task = asyncio.ensure_future(result)
            task.add_done_callback(self._check_handler_result)


try:
    _EXCEPTION_GROUP = BaseExceptionGroup  # Python 3.11+
except NameError:  # Python 3.10: cattrs raises the ``exceptiongroup`` backport's
    from exceptiongroup import BaseExceptionGroup as _EXCEPTION_GROUP


def _reasons(error: BaseException) -> str:
    """The innermost messages of a cattrs validation error: "Position.line should be in range ..."."""
    if isinstance(error, _EXCEPTION_GROUP):
        return "; ".join(dict.fromkeys(_reasons(inner) for inner in error.exceptions))
    return str(error) or type(error).__name__
