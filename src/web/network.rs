//! The co-participant network of the entity page, laid out by the `force_graph` crate's
//! force-directed simulation (deterministic: fixed start positions and step count) and scaled
//! into an SVG view box. Entry point: [`layout`].

use force_graph::{EdgeData, ForceGraph, NodeData, SimulationParameters};

/// Drawn nodes at most (the entity and its strongest co-participants).
pub const MAX_NODES: usize = 25;
const WIDTH: f32 = 640.0;
const HEIGHT: f32 = 420.0;
const MARGIN: f32 = 40.0;
const STEPS: usize = 400;

/// A node to lay out: its page, label, kind, and the events it shares with the entity.
pub struct NodeIn {
    pub href: String,
    pub label: String,
    pub kind: &'static str,
    pub events: u64,
}

/// The laid-out network, in SVG user units.
pub struct Layout {
    pub width: f32,
    pub height: f32,
    pub nodes: Vec<NodeOut>,
    pub edges: Vec<EdgeOut>,
}

pub struct NodeOut {
    pub x: String,
    pub y: String,
    pub label_y: String,
    pub r: String,
    pub href: String,
    pub label: String,
    pub title: String,
    pub kind: &'static str,
    pub ego: bool,
}

pub struct EdgeOut {
    pub x1: String,
    pub y1: String,
    pub x2: String,
    pub y2: String,
    pub width: String,
    pub title: String,
}

/// Lays out `ego` (node 0 of the result) and `others`, with `edges` as (index into
/// `others`, index into `others`, events) between co-participants; every other node is
/// joined to the ego by its `events`.
pub fn layout(ego: NodeIn, others: &[NodeIn], edges: &[(usize, usize, u64)]) -> Layout {
    let mut graph: ForceGraph<(), ()> = ForceGraph::new(SimulationParameters::default());
    let centre = graph.add_node(NodeData {
        x: 0.0,
        y: 0.0,
        mass: 20.0,
        is_anchor: true,
        ..Default::default()
    });
    let n = others.len().max(1) as f32;
    let ids: Vec<_> = others
        .iter()
        .enumerate()
        .map(|(i, _)| {
            let angle = i as f32 / n * std::f32::consts::TAU;
            graph.add_node(NodeData {
                x: 150.0 * angle.cos(),
                y: 150.0 * angle.sin(),
                ..Default::default()
            })
        })
        .collect();
    for id in &ids {
        graph.add_edge(centre, *id, EdgeData::default());
    }
    for &(a, b, _) in edges {
        if let (Some(x), Some(y)) = (ids.get(a), ids.get(b)) {
            graph.add_edge(*x, *y, EdgeData::default());
        }
    }
    for _ in 0..STEPS {
        graph.update(0.035);
    }
    let mut pos = vec![(0.0f32, 0.0f32); others.len() + 1];
    graph.visit_nodes(|node| {
        let i = node.index().index();
        if let Some(p) = pos.get_mut(i) {
            *p = (node.x(), node.y());
        }
    });
    // Scale into the view box, keeping the aspect ratio.
    let (mut min_x, mut max_x, mut min_y, mut max_y) = (f32::MAX, f32::MIN, f32::MAX, f32::MIN);
    for &(x, y) in &pos {
        min_x = min_x.min(x);
        max_x = max_x.max(x);
        min_y = min_y.min(y);
        max_y = max_y.max(y);
    }
    let span_x = (max_x - min_x).max(1.0);
    let span_y = (max_y - min_y).max(1.0);
    let scale = ((WIDTH - 2.0 * MARGIN) / span_x).min((HEIGHT - 2.0 * MARGIN) / span_y);
    let place = |(x, y): (f32, f32)| {
        (
            WIDTH / 2.0 + (x - (min_x + max_x) / 2.0) * scale,
            HEIGHT / 2.0 + (y - (min_y + max_y) / 2.0) * scale,
        )
    };
    let pos: Vec<(f32, f32)> = pos.into_iter().map(place).collect();
    let fmt = |v: f32| format!("{v:.1}");
    let width_of = |events: u64| fmt(1.0 + (events as f32).ln_1p() * 1.5);
    let mut out_edges = Vec::new();
    for (i, o) in others.iter().enumerate() {
        let (a, b) = (pos[0], pos[i + 1]);
        out_edges.push(EdgeOut {
            x1: fmt(a.0),
            y1: fmt(a.1),
            x2: fmt(b.0),
            y2: fmt(b.1),
            width: width_of(o.events),
            title: format!("{} – {}: {}", ego.label, o.label, events_text(o.events)),
        });
    }
    for &(a, b, events) in edges {
        let (Some(pa), Some(pb)) = (pos.get(a + 1), pos.get(b + 1)) else {
            continue;
        };
        out_edges.push(EdgeOut {
            x1: fmt(pa.0),
            y1: fmt(pa.1),
            x2: fmt(pb.0),
            y2: fmt(pb.1),
            width: width_of(events),
            title: format!(
                "{} – {}: {}",
                others[a].label,
                others[b].label,
                events_text(events)
            ),
        });
    }
    let node = |n: &NodeIn, (x, y): (f32, f32), ego: bool| {
        let r = if ego {
            12.0
        } else {
            5.0 + (n.events as f32).ln_1p() * 2.0
        };
        NodeOut {
            x: fmt(x),
            y: fmt(y),
            label_y: fmt(y - r - 4.0),
            r: fmt(r),
            href: n.href.clone(),
            label: n.label.clone(),
            title: if ego {
                n.label.clone()
            } else {
                format!("{}: {}", n.label, events_text(n.events))
            },
            kind: n.kind,
            ego,
        }
    };
    let mut nodes = vec![node(&ego, pos[0], true)];
    nodes.extend(
        others
            .iter()
            .enumerate()
            .map(|(i, o)| node(o, pos[i + 1], false)),
    );
    Layout {
        width: WIDTH,
        height: HEIGHT,
        nodes,
        edges: out_edges,
    }
}

fn events_text(n: u64) -> String {
    if n == 1 {
        "1 event".to_owned()
    } else {
        format!("{n} events")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(label: &str, events: u64) -> NodeIn {
        NodeIn {
            href: format!("/entity?iri={label}"),
            label: label.into(),
            kind: "person",
            events,
        }
    }

    #[test]
    fn nodes_land_apart_and_inside_the_view_box() {
        let others: Vec<NodeIn> = (0..8).map(|i| n(&format!("p{i}"), i + 1)).collect();
        let l = layout(n("ego", 0), &others, &[(0, 1, 2), (2, 3, 1)]);
        assert_eq!(l.nodes.len(), 9);
        assert_eq!(l.edges.len(), 10);
        let xy: Vec<(f32, f32)> = l
            .nodes
            .iter()
            .map(|n| (n.x.parse().unwrap(), n.y.parse().unwrap()))
            .collect();
        for &(x, y) in &xy {
            assert!(
                (0.0..=WIDTH).contains(&x) && (0.0..=HEIGHT).contains(&y),
                "{x},{y}"
            );
        }
        for i in 0..xy.len() {
            for j in i + 1..xy.len() {
                let d = ((xy[i].0 - xy[j].0).powi(2) + (xy[i].1 - xy[j].1).powi(2)).sqrt();
                assert!(d > 10.0, "nodes {i} and {j} overlap ({d})");
            }
        }
    }

    #[test]
    fn the_same_input_gives_the_same_drawing() {
        let others: Vec<NodeIn> = (0..5).map(|i| n(&format!("p{i}"), 1)).collect();
        let a = layout(n("ego", 0), &others, &[]);
        let b = layout(n("ego", 0), &others, &[]);
        let xs = |l: &Layout| l.nodes.iter().map(|n| n.x.clone()).collect::<Vec<_>>();
        assert_eq!(xs(&a), xs(&b));
    }
}
