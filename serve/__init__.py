"""Stage 4: question to answer with citations; Gradio app; CLI."""
