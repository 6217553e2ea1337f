package protocol

import (
	"encoding/json"
	"strings"
	"testing"
)

// The optional keys are absent exactly when their values say so: the
// page's script tells the kinds apart by them.
func TestOptionalKeys(t *testing.T) {
	yes := true
	for _, c := range []struct {
		name    string
		v       any
		present []string
		absent  []string
	}{
		{"step", RGStepValues{Kind: KindStep}, []string{`"steps":`, `"phase":`, `"acceptance":null`}, []string{`"sizes"`, `"generated"`, `"hist_tv"`}},
		{"done", RGStepValues{Kind: KindDone, RGResult: &RGResult{}}, []string{`"sizes":null`, `"generated":{`, `"hist_tv":0`, `"frames_recorded":0`}, nil},
		{"fit", RGFitValues{}, []string{`"calibrated":false`}, []string{`"shipped_calibrated"`}},
		{"fit, shipped known", RGFitValues{ShippedCalibrated: &yes}, []string{`"shipped_calibrated":true`}, nil},
		{"race", RGRaceValues{}, []string{`"binder":null`, `"tau":null`, `"t":null`}, nil},
		{"synthesis", ScatSynthStepValues{}, []string{`"loss":null`, `"marginal_err":null`}, []string{`"stop_reason"`}},
		{"synthesis stopped", ScatSynthStepValues{ScatProgress: ScatProgress{StopReason: "why"}}, []string{`"stop_reason":"why"`}, nil},
		{"analysis", ScatAnalyseValues{}, []string{`"regularity":null`, `"second":null`, `"counts":null`}, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			b, err := json.Marshal(c.v)
			if err != nil {
				t.Fatal(err)
			}
			for _, k := range c.present {
				if !strings.Contains(string(b), k) {
					t.Errorf("%s lacks %s", b, k)
				}
			}
			for _, k := range c.absent {
				if strings.Contains(string(b), k) {
					t.Errorf("%s has %s", b, k)
				}
			}
		})
	}
}

// A header round-trips through JSON, its values decoded into the type
// the reader expects.
func TestHeaderRoundTrip(t *testing.T) {
	h := Header[any]{Scene: "scales", Images: []Image{{Name: "x", W: 2, H: 3, Off: 0}}, Values: &ScalesValues{J: 2, Sizes: []int{4, 2, 1}}}
	b, err := json.Marshal(h)
	if err != nil {
		t.Fatal(err)
	}
	var back Header[ScalesValues]
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if back.Scene != "scales" || len(back.Images) != 1 || back.Images[0] != h.Images[0] || back.Values.J != 2 || len(back.Values.Sizes) != 3 {
		t.Errorf("round trip: %+v", back)
	}
}

// The page's envelope carries a step's body under the operation's name;
// RGStepRequest and ScatStepRequest are the one StepRequest.
func TestStepRequestJSON(t *testing.T) {
	var env struct {
		Op   string        `json:"op"`
		Step RGStepRequest `json:"rg_step"`
	}
	if err := json.Unmarshal([]byte(`{"op":"rg_step","rg_step":{"k":7,"max_ms":40}}`), &env); err != nil {
		t.Fatal(err)
	}
	if env.Op != OpRGStep || env.Step != (ScatStepRequest{K: 7, MaxMs: 40}) {
		t.Errorf("decoded %+v", env)
	}
}
