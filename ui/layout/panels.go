package layout

// Kind is what a panel shows.
type Kind string

// The kinds of panel.
const (
	ImagePanel Kind = "image" // a picture (a field, a coefficient image, …)
	PlotPanel  Kind = "plot"  // a plot with axes, its title and tick labels included
	TextPanel  Kind = "text"  // numbers and notes
)

// Panel is a named rectangle of a scene view's layout.
type Panel struct {
	Name string
	Kind Kind
	Rect
}

// panel is shorthand for a Panel literal.
func panel(name string, k Kind, r Rect) Panel { return Panel{Name: name, Kind: k, Rect: r} }
