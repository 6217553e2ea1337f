//go:build js

package ui

import (
	"encoding/json"
	"fmt"

	"scalewise/ui/protocol"
)

// frameHeader is the header of a scene's frames with the values left raw
// for the scene to decode by their kind.
type frameHeader struct {
	Images []protocol.Image
	Values json.RawMessage // "{}" when the header has none
	Kind   string          // the values' "kind" ("" when they have none)
}

// decodeFrameHeader decodes the header of frames for the scene called
// scene (a protocol.Header whose values may be one of several shapes, told
// apart by their kind), refusing frames of another scene. Every scene's
// Load starts with it.
func decodeFrameHeader(scene string, header []byte) (frameHeader, error) {
	var h struct {
		Scene  string           `json:"scene"`
		Images []protocol.Image `json:"images"`
		Values json.RawMessage  `json:"values"`
	}
	if err := json.Unmarshal(header, &h); err != nil {
		return frameHeader{}, fmt.Errorf("%s: bad frame header: %w", scene, err)
	}
	if h.Scene != scene {
		return frameHeader{}, fmt.Errorf("%s: frames are for scene %q", scene, h.Scene)
	}
	if len(h.Values) == 0 || string(h.Values) == "null" {
		h.Values = json.RawMessage("{}")
	}
	var kind struct {
		Kind string `json:"kind"`
	}
	if err := json.Unmarshal(h.Values, &kind); err != nil {
		return frameHeader{}, fmt.Errorf("%s: bad values: %w", scene, err)
	}
	return frameHeader{Images: h.Images, Values: h.Values, Kind: kind.Kind}, nil
}
