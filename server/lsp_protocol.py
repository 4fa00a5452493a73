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
- ``didChange`` for a document that was never opened raises KeyError, which
  pygls shows to the user. Here document text is kept by the server itself
  (see ``lsp_text``), which ignores such a change with a log line: the
  built-in open/change/close handlers only hand the notification on and do
  not maintain pygls' workspace documents.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from lsprotocol import types
from pygls.exceptions import (
    JsonRpcException,
    JsonRpcInvalidParams,
    JsonRpcInvalidRequest,
    JsonRpcMethodNotFound,
)
from pygls.protocol import LanguageServerProtocol, lsp_method

logger = logging.getLogger(__name__)


@dataclass
class UndecodableMessage:
    """A message pygls could not turn into its typed form."""

    data: dict
    error: JsonRpcException


class PerflintProtocol(LanguageServerProtocol):
    def structure_message(self, data: dict[str, Any]):
        try:
            return super().structure_message(data)
        except JsonRpcException as error:
            return UndecodableMessage(data, error)

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
        super().handle_message(message)

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
            error = JsonRpcInvalidParams(message=f"Invalid params for {method}: {message.error}")
        logger.warning("Rejected request %r: %s", method, error.message)
        self._send_response(data["id"], None, error.to_response_error())

    # --- documents are kept by the server (lsp_text.DocumentText) -------------------

    @lsp_method(types.TEXT_DOCUMENT_DID_OPEN)
    def lsp_text_document__did_open(self, params: types.DidOpenTextDocumentParams):
        if (handler := self.fm.features.get(types.TEXT_DOCUMENT_DID_OPEN)) is not None:
            yield handler, (params,), None

    @lsp_method(types.TEXT_DOCUMENT_DID_CHANGE)
    def lsp_text_document__did_change(self, params: types.DidChangeTextDocumentParams):
        if (handler := self.fm.features.get(types.TEXT_DOCUMENT_DID_CHANGE)) is not None:
            yield handler, (params,), None

    @lsp_method(types.TEXT_DOCUMENT_DID_CLOSE)
    def lsp_text_document__did_close(self, params: types.DidCloseTextDocumentParams):
        if (handler := self.fm.features.get(types.TEXT_DOCUMENT_DID_CLOSE)) is not None:
            yield handler, (params,), None
