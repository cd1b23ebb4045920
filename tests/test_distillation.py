"""A distilled student: the teacher's chosen layers and feed-forward neurons, a soft-target loss that is
zero-gradient at the teacher, and the teacher's tokenizer found next to its checkpoint. Tiny random
encoders (no base model), so these run in the fast suite wherever the training extra is installed."""

from __future__ import annotations

from pathlib import Path

import pytest

torch = pytest.importorskip("torch", reason="needs the training extra")

pytestmark = pytest.mark.training

from training.model import (  # noqa: E402
    ContractTagger,
    LabelMaps,
    feed_forward_importance,
    prune_feed_forward,
    student_of,
)
from training.train import TrainConfig, distillation_loss, teacher_tokenizer  # noqa: E402

CONFIGS = Path(__file__).resolve().parents[1] / "training" / "configs"


def tiny_tagger(layers: int = 3) -> ContractTagger:
    from transformers import XLMRobertaConfig, XLMRobertaModel

    torch.manual_seed(0)
    config = XLMRobertaConfig(
        vocab_size=50, hidden_size=16, num_hidden_layers=layers, num_attention_heads=2, intermediate_size=32,
        max_position_embeddings=64, pad_token_id=1,
    )  # fmt: skip
    return ContractTagger(XLMRobertaModel(config, add_pooling_layer=False), LabelMaps.from_schema(1)).eval()


def batch() -> tuple[torch.Tensor, torch.Tensor]:
    ids = torch.randint(4, 50, (2, 12))
    mask = torch.ones_like(ids)
    mask[1, 8:] = 0
    ids[1, 8:] = 1
    return ids, mask


def test_a_student_of_every_layer_is_the_teacher_and_a_smaller_one_keeps_the_chosen_layers() -> None:
    teacher = tiny_tagger(3)
    ids, mask = batch()
    with torch.no_grad():
        same = student_of(teacher, [0, 1, 2])(ids, mask)
        expected = teacher(ids, mask)
    for got, want in zip(same, expected, strict=True):
        assert torch.allclose(got, want)
    student = student_of(teacher, [1, 2])
    assert student.encoder.config.num_hidden_layers == 2 and len(student.encoder.encoder.layer) == 2
    kept = student.encoder.encoder.layer[0].attention.self.query.weight
    assert torch.equal(kept, teacher.encoder.encoder.layer[1].attention.self.query.weight)
    assert kept.data_ptr() != teacher.encoder.encoder.layer[1].attention.self.query.weight.data_ptr()
    assert teacher.encoder.config.num_hidden_layers == 3 and len(teacher.encoder.encoder.layer) == 3


@pytest.mark.parametrize("layers", [[], [2, 1], [0, 0], [3], [-1]])
def test_student_layers_must_be_increasing_indices_of_the_teacher(layers: list[int]) -> None:
    with pytest.raises(ValueError, match=r"increasing indices in 0\.\.2"):
        student_of(tiny_tagger(3), layers)


def test_pruning_keeps_the_most_important_neurons_in_order_and_all_of_them_changes_nothing(
    tmp_path: Path,
) -> None:
    teacher = tiny_tagger(2)
    ids, mask = batch()
    importance = feed_forward_importance(teacher, [(ids, mask)])
    assert [len(scores) for scores in importance] == [32, 32] and all((s >= 0).all() for s in importance)
    with torch.no_grad():
        expected = teacher(ids, mask)
        unchanged = prune_feed_forward(teacher, 32, importance)(ids, mask)
    assert all(torch.allclose(a, b) for a, b in zip(unchanged, expected, strict=True))

    narrow = prune_feed_forward(teacher, 8, importance)
    for layer, wide, scores in zip(
        narrow.encoder.encoder.layer, teacher.encoder.encoder.layer, importance, strict=True
    ):
        kept = sorted(scores.topk(8).indices.tolist())
        assert torch.equal(layer.intermediate.dense.weight, wide.intermediate.dense.weight[kept])
        assert torch.equal(layer.output.dense.weight, wide.output.dense.weight[:, kept])
        assert torch.equal(layer.output.dense.bias, wide.output.dense.bias)
    assert narrow.encoder.config.intermediate_size == 8 and teacher.encoder.config.intermediate_size == 32
    # The narrowed width is in the saved config, so the checkpoint loads as it was trained.
    narrow.save(tmp_path / "narrow")
    with torch.no_grad():
        reloaded = ContractTagger.load(tmp_path / "narrow").eval()(ids, mask)
        outputs = narrow(ids, mask)
    assert all(torch.allclose(a, b) for a, b in zip(reloaded, outputs, strict=True))


def test_importance_ignores_padding_and_follows_the_output_weights() -> None:
    teacher = tiny_tagger(2)
    ids, mask = batch()
    before = feed_forward_importance(teacher, [(ids, mask)])
    other_padding = ids.clone()
    other_padding[1, 8:] = 7  # what sits under the mask does not count
    assert all(
        torch.allclose(a, b)
        for a, b in zip(feed_forward_importance(teacher, [(other_padding, mask)]), before, strict=True)
    )
    with torch.no_grad():
        teacher.encoder.encoder.layer[0].output.dense.weight[:, 5] = 0.0
    after = feed_forward_importance(teacher, [(ids, mask)])
    assert after[0][5] == 0 and before[0][5] > 0
    # A neuron that writes nothing is the first to go.
    cut = prune_feed_forward(teacher, 31, after).encoder.encoder.layer[0].intermediate.dense.weight
    wide = teacher.encoder.encoder.layer[0].intermediate.dense.weight
    assert torch.equal(cut, torch.cat([wide[:5], wide[6:]]))


@pytest.mark.parametrize("size", [0, 33])
def test_the_kept_width_must_fit_the_teacher(size: int) -> None:
    teacher = tiny_tagger(1)
    with pytest.raises(ValueError, match=r"feed-forward size must be 1\.\.32"):
        prune_feed_forward(teacher, size, feed_forward_importance(teacher, [batch()]))


def test_the_soft_loss_is_flat_at_the_teacher_and_ignores_padding() -> None:
    teacher = tiny_tagger(2)
    ids, mask = batch()
    with torch.no_grad():
        targets = teacher(ids, mask)
    student = [t.clone().requires_grad_(True) for t in targets]
    at_teacher = distillation_loss(student, targets, mask, 2.0, 0.5)
    at_teacher.backward()
    assert all(s.grad.abs().max() < 1e-6 for s in student)
    moved = [t + torch.randn_like(t) for t in targets]
    assert distillation_loss(moved, targets, mask, 2.0, 0.5) > at_teacher + 0.01
    # What the student says about padded positions (row 1 from token 8 on) does not count.
    padded = [t.clone() for t in moved]
    for tensor in padded:
        tensor[1, 8:] += 5.0
    moved_loss = distillation_loss(moved, targets, mask, 2.0, 0.5)
    assert torch.allclose(distillation_loss(padded, targets, mask, 2.0, 0.5), moved_loss)


def test_the_teachers_tokenizer_is_found_in_a_model_directory_or_a_run(tmp_path: Path) -> None:
    model_dir = tmp_path / "model"
    (model_dir / "pytorch").mkdir(parents=True)
    (model_dir / "tokenizer.json").write_text("{}", encoding="utf-8")
    assert teacher_tokenizer(model_dir / "pytorch") == model_dir / "tokenizer.json"
    run = tmp_path / "run"
    (run / "best").mkdir(parents=True)
    (run / "tokenizer").mkdir()
    (run / "tokenizer" / "tokenizer.json").write_text("{}", encoding="utf-8")
    assert teacher_tokenizer(run / "best") == run / "tokenizer" / "tokenizer.json"
    with pytest.raises(FileNotFoundError, match=r"no tokenizer\.json next to"):
        teacher_tokenizer(tmp_path / "elsewhere" / "best")


def test_the_distillation_config_names_a_teacher_and_its_layers() -> None:
    import yaml

    config = TrainConfig.from_mapping(yaml.safe_load((CONFIGS / "distill.yaml").read_text(encoding="utf-8")))
    # The teacher is the shipped default model (4 layers); the student is models/0.4.0.
    assert config.teacher == Path("models/default/pytorch")
    assert (CONFIGS.parents[1] / config.teacher / "tagger.pt").is_file()
    assert list(config.student_layers) == [1, 2, 3] and config.num_layers == 3
    assert 0 < config.distill_weight < 1


def test_the_narrow_distillation_config_keeps_every_layer_and_halves_the_feed_forward() -> None:
    import json

    import yaml

    config = TrainConfig.from_mapping(
        yaml.safe_load((CONFIGS / "distill-narrow.yaml").read_text(encoding="utf-8"))
    )
    teacher = json.loads((CONFIGS.parents[1] / config.teacher / "tagger.json").read_text(encoding="utf-8"))
    assert list(config.student_layers) == list(range(teacher["encoder"]["num_hidden_layers"]))
    assert config.student_feed_forward == teacher["encoder"]["intermediate_size"] // 2


@pytest.mark.parametrize(
    "settings",
    [
        {"student_layers": (1, 2)},
        {"student_feed_forward": 96},
        {"student_init": Path("models/0.4.0/pytorch")},
        {"unlabeled_sources": ("laws",)},
    ],
)
def test_student_settings_without_a_teacher_are_refused(settings: dict) -> None:
    with pytest.raises(ValueError, match=f"{next(iter(settings))} distil a teacher"):
        TrainConfig(**settings)
    TrainConfig(teacher=Path("models/default/pytorch"), **settings)


@pytest.mark.parametrize("settings", [{"student_layers": (1, 2)}, {"student_feed_forward": 96}])
def test_a_trained_student_is_not_cut_again(settings: dict) -> None:
    with pytest.raises(ValueError, match="student_init is a trained student"):
        TrainConfig(
            teacher=Path("models/default/pytorch"), student_init=Path("models/0.4.0/pytorch"), **settings
        )


@pytest.mark.parametrize("share", [-0.1, 1.0])
def test_the_unlabeled_share_of_a_batch_leaves_room_for_labels(share: float) -> None:
    with pytest.raises(ValueError, match="unlabeled_share must be in"):
        TrainConfig(unlabeled_share=share)


def test_the_unlabeled_distillation_config_goes_on_from_the_shipped_student() -> None:
    import yaml

    from training.unlabeled import SOURCES

    mapping = yaml.safe_load((CONFIGS / "distill-unlabeled.yaml").read_text(encoding="utf-8"))
    config = TrainConfig.from_mapping(mapping)
    repo = CONFIGS.parents[1]
    assert (repo / config.student_init / "tagger.pt").is_file()
    assert (
        ContractTagger.load(repo / config.student_init).labels
        == ContractTagger.load(repo / config.teacher).labels
    )
    assert config.unlabeled_sources and set(config.unlabeled_sources) <= set(SOURCES)
